/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sysfs-walk: runs a fixed script of listings, reads and writes against a sysfs and prints what
 * it saw, so the same script on the kernel's mdev bus (in the QEMU guest) and on mdev-sim gives
 * two outputs to diff (tests/e2e/diff.sh, issue 23). It shows what a client can tell: entry
 * types as readdir gives them and as lstat gives them, permission bits, link targets, file
 * contents, and the errno of each open, read and write. Sizes, times, owners and link counts
 * are left out: no client of ours looks at them.
 *
 * sysfs-walk ROOT SCRIPT    (paths in SCRIPT are relative to ROOT, e.g. "sys/bus/mdev")
 *
 * Script lines ("#" starts a comment; $NAME is replaced by the value set for NAME):
 *   set NAME VALUE       echo TEXT            exists PATH
 *   tree PATH            every entry below PATH, recursively, with the contents of files
 *   ls PATH              the names and readdir types of PATH's entries
 *   stat PATH            one entry, without contents      cat PATH   one file's contents
 *   open PATH r|w|rw     the errno of open() alone
 *   write PATH DATA      one write(2) of DATA on a fresh descriptor
 *   write2 PATH DATA DATA  two writes on one descriptor
 * DATA takes the escapes \n, \s (a space), \\ and \xHH; "" is no bytes. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_VARS 32
#define MAX_ENTRIES 512

static char vars[MAX_VARS][2][256];
static int n_vars;

static const char *err_name(int e)
{
	const char *n = strerrorname_np(e);
	return n ? n : "E?";
}

static char type_letter(mode_t m)
{
	return S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISREG(m) ? 'f' : '?';
}

static char dtype_letter(unsigned char t)
{
	return t == DT_DIR ? 'd' : t == DT_LNK ? 'l' : t == DT_REG ? 'f' : t == DT_UNKNOWN ? 'u' : '?';
}

/* bytes as one printable line: newlines and the unprintable escaped */
static void put_escaped(const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];
		if (c == '\\')
			fputs("\\\\", stdout);
		else if (c >= 0x20 && c < 0x7f)
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

static void show_contents(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("  open: %s\n", err_name(errno));
		return;
	}
	char buf[8192];
	size_t len = 0;
	ssize_t r;
	while (len < sizeof(buf) && (r = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)r;
	int e = errno;
	close(fd);
	if (r < 0) {
		printf("  read: %s\n", err_name(e));
		return;
	}
	if (!len) {
		printf("  (empty)\n");
		return;
	}
	/* one output line per line of the file */
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || buf[i] == '\n') {
			if (i == len && start == len)
				break;
			printf("  | ");
			put_escaped(buf + start, i - start);
			printf(i == len ? " (no newline)\n" : "\n");
			start = i + 1;
		}
	}
}

/* one entry: "path d/d 0755", "path l/l 0777 -> target" */
static void show_entry(const char *path, char dt, bool contents)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		printf("%s: %s\n", path, err_name(errno));
		return;
	}
	printf("%s %c/%c %04o", path, dt, type_letter(st.st_mode), (unsigned)(st.st_mode & 07777));
	if (S_ISLNK(st.st_mode)) {
		char t[512];
		ssize_t n = readlink(path, t, sizeof(t) - 1);
		t[n < 0 ? 0 : n] = '\0';
		printf(" -> %s", t);
	}
	putchar('\n');
	if (contents && S_ISREG(st.st_mode))
		show_contents(path);
}

struct entry {
	char name[256];
	unsigned char type;
};

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/* PATH's entries but . and .., sorted; -errno */
static int list(const char *path, struct entry *e, size_t *n)
{
	DIR *d = opendir(path);
	if (!d)
		return -errno;
	struct dirent *de;
	*n = 0;
	while ((de = readdir(d)) && *n < MAX_ENTRIES) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(e[*n].name, sizeof(e[0].name), "%s", de->d_name);
		e[(*n)++].type = de->d_type;
	}
	closedir(d);
	qsort(e, *n, sizeof(*e), cmp_entry);
	return 0;
}

static void tree(const char *path, int depth)
{
	struct entry *e = malloc(MAX_ENTRIES * sizeof(*e));
	size_t n;
	int r = e ? list(path, e, &n) : -ENOMEM;
	if (r < 0) {
		printf("%s: %s\n", path, err_name(-r));
		free(e);
		return;
	}
	if (!depth)
		show_entry(path, '-', false);
	for (size_t i = 0; i < n; i++) {
		char child[4096];
		snprintf(child, sizeof(child), "%s/%s", path, e[i].name);
		show_entry(child, dtype_letter(e[i].type), true);
		if (e[i].type == DT_DIR && depth < 16)
			tree(child, depth + 1);
	}
	free(e);
}

static size_t unescape(const char *s, char *out, size_t cap)
{
	size_t o = 0;
	if (!strcmp(s, "\"\""))
		return 0;
	for (; *s && o < cap; s++) {
		if (*s != '\\') {
			out[o++] = *s;
			continue;
		}
		s++;
		if (*s == 'n')
			out[o++] = '\n';
		else if (*s == 's')
			out[o++] = ' ';
		else if (*s == 'x' && s[1] && s[2]) {
			char hex[3] = { s[1], s[2], 0 };
			out[o++] = (char)strtoul(hex, NULL, 16);
			s += 2;
		} else if (*s)
			out[o++] = *s;
		else
			break;
	}
	return o;
}

static void do_write(const char *path, const char *a, const char *b)
{
	char data[2][512];
	size_t len[2] = { unescape(a, data[0], sizeof(data[0])), b ? unescape(b, data[1], sizeof(data[1])) : 0 };
	printf("%s %s %s%s%s:", b ? "write2" : "write", path, a, b ? " " : "", b ? b : "");
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		printf(" open %s\n", err_name(errno));
		return;
	}
	for (int i = 0; i < (b ? 2 : 1); i++) {
		ssize_t r = write(fd, data[i], len[i]);
		if (r < 0)
			printf(" %s", err_name(errno));
		else
			printf(" ok %zd", r);
	}
	putchar('\n');
	close(fd);
}

/* $NAME replaced by its value, in place */
static void expand(const char *in, char *out, size_t cap)
{
	size_t o = 0;
	while (*in && o + 1 < cap) {
		if (*in == '$') {
			size_t l = 1;
			while (in[l] == '_' || (in[l] >= 'A' && in[l] <= 'Z'))
				l++;
			int v;
			for (v = 0; v < n_vars; v++)
				if (strlen(vars[v][0]) == l - 1 && !strncmp(vars[v][0], in + 1, l - 1))
					break;
			if (v < n_vars) {
				o += (size_t)snprintf(out + o, cap - o, "%s", vars[v][1]);
				if (o >= cap)
					o = cap - 1;
				in += l;
				continue;
			}
		}
		out[o++] = *in++;
	}
	out[o] = '\0';
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "Usage: sysfs-walk ROOT SCRIPT\n");
		return 2;
	}
	FILE *f = fopen(argv[2], "re");
	if (!f || chdir(argv[1]) < 0) {
		fprintf(stderr, "Error: %s: %s\n", f ? argv[1] : argv[2], strerror(errno));
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	char raw[1024], line[2048];
	while (fgets(raw, sizeof(raw), f)) {
		raw[strcspn(raw, "\n")] = '\0';
		expand(raw, line, sizeof(line));
		char *save = NULL, *cmd = strtok_r(line, " \t", &save);
		if (!cmd || cmd[0] == '#')
			continue;
		if (!strcmp(cmd, "echo")) {
			printf("== %s\n", save ? save : "");
			continue;
		}
		char *a = strtok_r(NULL, " \t", &save), *b = strtok_r(NULL, " \t", &save);
		char *c = strtok_r(NULL, " \t", &save);
		if (!strcmp(cmd, "set") && a && b && n_vars < MAX_VARS) {
			snprintf(vars[n_vars][0], sizeof(vars[0][0]), "%s", a);
			snprintf(vars[n_vars++][1], sizeof(vars[0][1]), "%s", b);
		} else if (!strcmp(cmd, "tree") && a) {
			tree(a, 0);
		} else if (!strcmp(cmd, "ls") && a) {
			struct entry e[MAX_ENTRIES];
			size_t n;
			int r = list(a, e, &n);
			printf("ls %s:", a);
			if (r < 0)
				printf(" %s", err_name(-r));
			for (size_t i = 0; r == 0 && i < n; i++)
				printf(" %s(%c)", e[i].name, dtype_letter(e[i].type));
			putchar('\n');
		} else if (!strcmp(cmd, "stat") && a) {
			show_entry(a, '-', false);
		} else if (!strcmp(cmd, "cat") && a) {
			printf("cat %s\n", a);
			show_contents(a);
		} else if (!strcmp(cmd, "exists") && a) {
			printf("exists %s: %s\n", a, access(a, F_OK) == 0 ? "yes" : err_name(errno));
		} else if (!strcmp(cmd, "open") && a && b) {
			int fl = !strcmp(b, "r") ? O_RDONLY : !strcmp(b, "w") ? O_WRONLY : O_RDWR;
			int fd = open(a, fl | O_CLOEXEC);
			printf("open %s %s: %s\n", a, b, fd < 0 ? err_name(errno) : "ok");
			if (fd >= 0)
				close(fd);
		} else if (!strcmp(cmd, "write") && a && b) {
			do_write(a, b, NULL);
		} else if (!strcmp(cmd, "write2") && a && b && c) {
			do_write(a, b, c);
		} else {
			fprintf(stderr, "Error: bad script line: %s\n", raw);
			return 1;
		}
	}
	fclose(f);
	return 0;
}
