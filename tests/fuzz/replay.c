/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs a fuzz target over every file of the given directories, as an ordinary test: prints
 * one PASS line per file (a crash or sanitizer report fails the run). The PASS lines go to the
 * original stdout; the target's own stdout (mdevctl's help texts) goes to /dev/null, so that
 * no text of an input can pose as a result line. stderr is left alone: sanitizer reports. */
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int n = 0;
	FILE *res = fdopen(dup(1), "w");
	if (!res || !freopen("/dev/null", "w", stdout))
		return 1;
	setvbuf(res, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		if (!d) {
			fprintf(res, "FAIL %s: no corpus directory\n", argv[i]);
			return 1;
		}
		for (struct dirent *e; (e = readdir(d));) {
			if (e->d_name[0] == '.')
				continue;
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			FILE *f = fopen(path, "rb");
			if (!f)
				continue;
			static uint8_t buf[1 << 20];
			size_t len = fread(buf, 1, sizeof(buf), f);
			fclose(f);
			uint8_t *copy = malloc(len ? len : 1); /* exact size, so ASan sees overruns */
			memcpy(copy, buf, len);
			LLVMFuzzerTestOneInput(copy, len);
			free(copy);
			const char *dir = strrchr(argv[i], '/');
			fprintf(res, "PASS fuzz-replay %s/%s\n", dir ? dir + 1 : argv[i], e->d_name);
			n++;
		}
		closedir(d);
	}
	return n ? 0 : 1;
}
