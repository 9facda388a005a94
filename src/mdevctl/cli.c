/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mdevctl's command line: the subcommands, options and relations of upstream's clap 4.0
 * parser (C-3..C-10), with its error texts and exit codes. Help texts are our own words in
 * clap's layout. Verbs and options live in static tables and are matched exactly. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define COMPAT_VERSION "1.3.0"

enum opt {
	O_UUID, O_PARENT, O_TYPE, O_JSONFILE, O_AUTO, O_MANUAL, O_FORCE, O_DEFINED, O_DUMPJSON,
	O_VERBOSE, O_ADDATTR, O_DELATTR, O_INDEX, O_VALUE, O_LIVE, O_HELP, O_VERSION, O_N,
};
#define BIT(o) (1u << (o))

static const struct optdef {
	char shrt;
	const char *lng;
	const char *value; /* value name, NULL for a flag */
} optdefs[O_N] = {
	[O_UUID] = { 'u', "uuid", "UUID" },
	[O_PARENT] = { 'p', "parent", "PARENT" },
	[O_TYPE] = { 't', "type", "type" },
	[O_JSONFILE] = { 0, "jsonfile", "JSONFILE" },
	[O_AUTO] = { 'a', "auto", NULL },
	[O_MANUAL] = { 'm', "manual", NULL },
	[O_FORCE] = { 'f', "force", NULL },
	[O_DEFINED] = { 'd', "defined", NULL },
	[O_DUMPJSON] = { 0, "dumpjson", NULL },
	[O_VERBOSE] = { 'v', "verbose", NULL },
	[O_ADDATTR] = { 0, "addattr", "attr_name" },
	[O_DELATTR] = { 0, "delattr", NULL },
	[O_INDEX] = { 'i', "index", "INDEX" },
	[O_VALUE] = { 0, "value", "attr_value" },
	[O_LIVE] = { 'l', "live", NULL },
	[O_HELP] = { 'h', "help", NULL },
	[O_VERSION] = { 'V', "version", NULL },
};

#define FORCE_HELP "Run the command even when a callout script of the device fails\n" \
		   "Use this only when you know why the script fails"

struct opthelp {
	enum opt id;
	const char *help;
};

static const struct subcmd {
	const char *name;
	enum cli_command cmd;
	const char *about;
	const char *long_about; /* paragraphs after the about line, or NULL */
	const struct opthelp *opts;
	const char *usage;     /* the usage line after "<bin> <name> " in help */
	const char *err_usage; /* the usage line of an unknown-argument error */
	bool group;            /* both usage lines end with the modify group (modify_group_text) */
} subcmds[] = {
	{ "define", CLI_DEFINE, "Define a persistent mediated device",
	  "Writes a definition that survives reboots. For a device that is running now, the parent "
	  "and type may be left out: the running device's are used. With --auto the device starts "
	  "whenever its parent appears. With --jsonfile, the type, the start mode and the attributes "
	  "come from the file.\n\nA running device is not changed.",
	  (const struct opthelp[]){
		  { O_UUID, "UUID of the device (default: a new one, printed)" },
		  { O_AUTO, "Start the device automatically when its parent appears" },
		  { O_PARENT, "Parent device of the mediated device" },
		  { O_TYPE, "Mediated device type" },
		  { O_JSONFILE, "Read type, start mode and attributes from this JSON file" },
		  { O_FORCE, FORCE_HELP },
		  { O_N, NULL } },
	  "[OPTIONS] <--uuid <UUID>|--parent <PARENT>>", "[OPTIONS]", false },
	{ "undefine", CLI_UNDEFINE, "Undefine a persistent mediated device",
	  "Removes the definition of a device: under every parent that has one, unless --parent "
	  "names one.\n\nA running device is not changed.",
	  (const struct opthelp[]){
		  { O_UUID, "UUID of the device whose definition goes" },
		  { O_PARENT, "Only the definition under this parent" },
		  { O_FORCE, FORCE_HELP },
		  { O_N, NULL } },
	  "[OPTIONS] --uuid <UUID>", "[OPTIONS] --uuid <UUID>", false },
	{ "modify", CLI_MODIFY, "Modify the definition of a mediated device",
	  "Changes a stored definition: its start mode, its type, or its list of attributes, which "
	  "are written in order into the device's sysfs directory when it starts. --addattr and "
	  "--delattr work at the end of the list unless --index says where. --jsonfile replaces the "
	  "whole definition. --parent picks one definition of a UUID defined under several parents; "
	  "to move a device to another parent, undefine and define it again.\n\n"
	  "With --live, the --jsonfile definition is applied to the running device by its callout "
	  "script; add --defined to store it as well. Otherwise running devices are not changed.",
	  (const struct opthelp[]){
		  { O_UUID, "UUID of the device to modify" },
		  { O_PARENT, "Parent of the definition to modify" },
		  { O_TYPE, "New mediated device type" },
		  { O_ADDATTR, "Add an attribute with this name" },
		  { O_DELATTR, "Delete an attribute" },
		  { O_INDEX, "Position of the attribute to add or delete" },
		  { O_VALUE, "Value of the attribute given by --addattr" },
		  { O_AUTO, "Start the device automatically when its parent appears" },
		  { O_MANUAL, "Start the device only on request" },
		  { O_LIVE, "Change the running device (with --jsonfile); only it, unless --defined" },
		  { O_DEFINED, "With --live, change the stored definition too" },
		  { O_JSONFILE, "Replace the definition with this JSON file" },
		  { O_FORCE, FORCE_HELP },
		  { O_N, NULL } },
	  "[OPTIONS] --uuid <UUID>", "[OPTIONS] --uuid <UUID>", true },
	{ "start", CLI_START, "Start a mediated device",
	  "Creates a device. A UUID that is defined once is enough; a UUID defined under several "
	  "parents also needs --parent. With --parent and --type the device needs no definition, "
	  "and without --uuid a new UUID is chosen and printed. --jsonfile can take the place of "
	  "--type and adds attributes to write into the new device.",
	  (const struct opthelp[]){
		  { O_UUID, "UUID of the device to start" },
		  { O_PARENT, "Parent device to create it on" },
		  { O_TYPE, "Mediated device type" },
		  { O_JSONFILE, "Read type and attributes from this JSON file" },
		  { O_FORCE, FORCE_HELP },
		  { O_N, NULL } },
	  "[OPTIONS]", "[OPTIONS]", false },
	{ "stop", CLI_STOP, "Stop a mediated device", NULL,
	  (const struct opthelp[]){
		  { O_UUID, "UUID of the device to stop" },
		  { O_FORCE, FORCE_HELP },
		  { O_N, NULL } },
	  "[OPTIONS] --uuid <UUID>", "[OPTIONS] --uuid <UUID>", false },
	{ "list", CLI_LIST, "List mediated devices",
	  "Lists the running devices, or with --defined the stored definitions whether they run or "
	  "not, one per line: UUID, parent, type, start mode, and a mark when the device is both "
	  "running and defined. --uuid and --parent narrow the list. --dumpjson prints JSON; with "
	  "--uuid and a single match it prints that device's definition, ready for --jsonfile. "
	  "--verbose adds each device's attributes to the text listing.",
	  (const struct opthelp[]){
		  { O_DEFINED, "List stored definitions instead of running devices" },
		  { O_DUMPJSON, "Print JSON" },
		  { O_VERBOSE, "Show attributes too" },
		  { O_UUID, "Only the device with this UUID" },
		  { O_PARENT, "Only devices of this parent" },
		  { O_N, NULL } },
	  "[OPTIONS]", "[OPTIONS]", false },
	{ "types", CLI_TYPES, "List available mediated device types",
	  "Lists every parent device with the mediated device types it supports and how many more "
	  "of each can be created. --parent narrows the list to one parent; --dumpjson prints JSON.",
	  (const struct opthelp[]){
		  { O_PARENT, "Only the types of this parent" },
		  { O_DUMPJSON, "Print JSON" },
		  { O_N, NULL } },
	  "[OPTIONS]", "[OPTIONS]", false },
	/* hidden: run by udev when a parent appears (C-4) */
	{ "start-parent-mdevs", CLI_START_PARENT_MDEVS, NULL, NULL,
	  (const struct opthelp[]){ { O_N, NULL } }, "<PARENT>", "<PARENT>", false },
};

struct parse {
	const char *bin;  /* argv[0]'s base name, for usage lines */
	bool lsmdev;
	const struct subcmd *sub;
	unsigned int seen;     /* options given */
	enum opt order[O_N];   /* in command-line order */
	size_t n_order;
	const char *positional;
	struct cli_opts *o;
};

/* ---------------------------------------------------------------- text helpers */

static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* clap's display of an argument: "--name" or "--name <VALUE>" */
static const char *arg_text(enum opt id, char *buf, size_t sz)
{
	const struct optdef *d = &optdefs[id];
	if (d->value)
		snprintf(buf, sz, "--%s <%s>", d->lng, d->value);
	else
		snprintf(buf, sz, "--%s", d->lng);
	return buf;
}

/* modify's required group: exactly one of these (C-6); clap shows it as
 * <--auto|--manual|--addattr <attr_name>|--delattr|--jsonfile <JSONFILE>> */
static const enum opt modify_group[] = { O_AUTO, O_MANUAL, O_ADDATTR, O_DELATTR, O_JSONFILE };

static unsigned int modify_group_mask(void)
{
	unsigned int m = 0;
	for (size_t i = 0; i < sizeof(modify_group) / sizeof(modify_group[0]); i++)
		m |= BIT(modify_group[i]);
	return m;
}
#define MODIFY_GROUP modify_group_mask()

static const char *modify_group_text(void)
{
	static char text[160];
	if (text[0])
		return text;
	char a[128];
	size_t len = 0;
	for (size_t i = 0; i < sizeof(modify_group) / sizeof(modify_group[0]); i++)
		len += (size_t)snprintf(text + len, len < sizeof(text) ? sizeof(text) - len : 0, "%s%s",
					i ? "|" : "<", arg_text(modify_group[i], a, sizeof(a)));
	if (len < sizeof(text))
		snprintf(text + len, sizeof(text) - len, ">");
	return text;
}

/* A subcommand's usage line (its usage or err_usage) with the group it ends with. */
static const char *sub_usage(const struct subcmd *s, const char *base, char *buf, size_t sz)
{
	if (!s->group)
		return base;
	snprintf(buf, sz, "%s %s", base, modify_group_text());
	return buf;
}

static void usage_line(FILE *f, const struct parse *p, const char *rest)
{
	if (p->lsmdev)
		fprintf(f, "Usage: %s %s", p->bin, rest);
	else if (p->sub)
		fprintf(f, "Usage: %s %s %s", p->bin, p->sub->name, rest);
	else
		fprintf(f, "Usage: %s %s", p->bin, rest);
}

/* "error: <text>", optional suggestion block, optional usage, the --help hint; exit 2. */
static int fail(const struct parse *p, const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(const struct parse *p, const char *usage, const char *fmt, ...)
{
	va_list ap;
	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (usage) {
		fputs("\n\n", stderr);
		usage_line(stderr, p, usage);
	}
	fputs("\n\nFor more information try '--help'\n", stderr);
	return 2;
}

/* Jaro similarity, which clap uses (threshold 0.7) to suggest a near name. */
static double jaro(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (!la && !lb)
		return 1.0;
	if (!la || !lb || la > 64 || lb > 64)
		return 0.0;
	size_t range = (la > lb ? la : lb) / 2;
	range = range ? range - 1 : 0;
	bool ma[64] = { false }, mb[64] = { false };
	size_t m = 0;
	for (size_t i = 0; i < la; i++) {
		size_t lo = i > range ? i - range : 0, hi = i + range + 1 < lb ? i + range + 1 : lb;
		for (size_t j = lo; j < hi; j++) {
			if (mb[j] || a[i] != b[j])
				continue;
			ma[i] = mb[j] = true;
			m++;
			break;
		}
	}
	if (!m)
		return 0.0;
	size_t t = 0, k = 0;
	for (size_t i = 0; i < la; i++) {
		if (!ma[i])
			continue;
		while (!mb[k])
			k++;
		if (a[i] != b[k])
			t++;
		k++;
	}
	double md = (double)m;
	return (md / la + md / lb + (md - t / 2.0) / md) / 3.0;
}

/* ---------------------------------------------------------------- help */

static void print_option(FILE *f, const struct optdef *d, const char *help, bool lng, int width)
{
	char left[64];
	int n = d->shrt ? snprintf(left, sizeof(left), "-%c, --%s", d->shrt, d->lng)
			: snprintf(left, sizeof(left), "    --%s", d->lng);
	if (d->value)
		snprintf(left + n, sizeof(left) - (size_t)n, " <%s>", d->value);
	if (lng) {
		fprintf(f, "  %s\n", left);
		for (const char *s = help; *s;) {
			const char *nl = strchr(s, '\n');
			size_t l = nl ? (size_t)(nl - s) : strlen(s);
			fprintf(f, "          %.*s\n", (int)l, s);
			s += l + (nl ? 1 : 0);
		}
		fputc('\n', f);
		return;
	}
	/* short help: continuation lines align under the first */
	fprintf(f, "  %-*s  ", width, left);
	for (const char *s = help; *s;) {
		const char *nl = strchr(s, '\n');
		size_t l = nl ? (size_t)(nl - s) : strlen(s);
		fprintf(f, "%.*s\n", (int)l, s);
		s += l + (nl ? 1 : 0);
		if (*s)
			fprintf(f, "  %-*s  ", width, "");
	}
}

static void print_wrapped(FILE *f, const char *text)
{
	/* paragraphs wrapped at 100 columns, as clap's wrap_help does on a wide terminal */
	const char *s = text;
	int col = 0;
	while (*s) {
		if (*s == '\n') {
			fputc('\n', f);
			col = 0;
			s++;
			continue;
		}
		size_t w = strcspn(s, " \n");
		if (col && col + 1 + (int)w > 100) {
			fputc('\n', f);
			col = 0;
		} else if (col) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)w, s);
		col += (int)w;
		s += w;
		while (*s == ' ')
			s++;
	}
	fputc('\n', f);
}

static void help_top(FILE *f, const struct parse *p)
{
	fprintf(f, "Manage mediated devices (vGPUs and other vfio-mdev devices) of Linux\n\n");
	fprintf(f, "Usage: %s <COMMAND>\n\nCommands:\n", p->bin);
	for (size_t i = 0; i < sizeof(subcmds) / sizeof(subcmds[0]); i++)
		if (subcmds[i].about)
			fprintf(f, "  %-9s %s\n", subcmds[i].name, subcmds[i].about);
	fprintf(f, "  %-9s %s\n", "help", "Print this message or the help of the given subcommand(s)");
	fprintf(f, "\nOptions:\n  -h, --help     Print help information\n"
		   "  -V, --version  Print version information\n");
}

static void help_sub(FILE *f, const struct parse *p, const struct subcmd *s, bool lng)
{
	const struct optdef help = { 'h', "help", NULL }, version = { 'V', "version", NULL };
	if (s->about) {
		fprintf(f, "%s\n\n", s->about);
		if (lng && s->long_about) {
			print_wrapped(f, s->long_about);
			fputc('\n', f);
		}
	}
	char ub[512];
	const char *usage = sub_usage(s, s->usage, ub, sizeof(ub));
	if (p->lsmdev)
		fprintf(f, "Usage: %s %s\n\n", p->bin, usage);
	else
		fprintf(f, "Usage: %s %s %s\n\n", p->bin, s->name, usage);
	if (s->cmd == CLI_START_PARENT_MDEVS)
		fprintf(f, "Arguments:\n  <PARENT>  Parent device whose automatic devices start\n\n");
	fprintf(f, "Options:\n");
	int width = 0;
	for (const struct opthelp *h = s->opts; h->id != O_N; h++) {
		const struct optdef *d = &optdefs[h->id];
		int w = 6 + (int)strlen(d->lng) + (d->value ? (int)strlen(d->value) + 3 : 0);
		if (w > width)
			width = w;
	}
	if (width < 10)
		width = 10;
	for (const struct opthelp *h = s->opts; h->id != O_N; h++)
		print_option(f, &optdefs[h->id], h->help, lng, width);
	print_option(f, &help, lng ? "Print help (use `-h` for a summary)" :
				     s->long_about ? "Print help (use `--help` for more detail)" :
						     "Print help information", lng, width);
	if (s->cmd == CLI_LIST)
		print_option(f, &version, "Print version information", lng, width);
}

/* ---------------------------------------------------------------- values */

static int set_value(struct parse *p, enum opt id, const char *val)
{
	struct cli_opts *o = p->o;
	char buf[300], why[256];
	switch (id) {
	case O_UUID:
		if (mdev_uuid_parse(val, o->uuid_buf) < 0)
			return fail(p, NULL, "Invalid value '%s' for '%s': %s", val,
				    arg_text(id, buf, sizeof(buf)),
				    mdev_uuid_parse_error(val, why, sizeof(why)));
		o->uuid = o->uuid_buf;
		break;
	case O_INDEX: {
		/* clap's u32 parser: an i64 first, then the range */
		char *end;
		errno = 0;
		long long v = strtoll(val, &end, 10);
		const char *err = NULL;
		if (!*val)
			err = "cannot parse integer from empty string";
		else if (*end || (!((val[0] >= '0' && val[0] <= '9') || val[0] == '-' || val[0] == '+')) ||
			 ((val[0] == '-' || val[0] == '+') && !val[1]))
			err = "invalid digit found in string";
		else if (errno == ERANGE)
			err = val[0] == '-' ? "number too small to fit in target type"
					    : "number too large to fit in target type";
		if (err)
			return fail(p, NULL, "Invalid value '%s' for '%s': %s", val,
				    arg_text(id, buf, sizeof(buf)), err);
		if (v < 0 || v > 4294967295LL)
			return fail(p, NULL, "Invalid value '%s' for '%s': %lld is not in 0..=4294967295",
				    val, arg_text(id, buf, sizeof(buf)), v);
		o->index = (unsigned int)v;
		o->has_index = true;
		break;
	}
	case O_PARENT: o->parent = val; break;
	case O_TYPE: o->type = val; break;
	case O_JSONFILE: o->jsonfile = val; break;
	case O_ADDATTR: o->addattr = val; break;
	case O_VALUE: o->value = val; break;
	default: break;
	}
	return -1;
}

static void set_flag(struct parse *p, enum opt id)
{
	struct cli_opts *o = p->o;
	switch (id) {
	case O_AUTO: o->autostart = true; break;
	case O_MANUAL: o->manual = true; break;
	case O_FORCE: o->force = true; break;
	case O_DEFINED: o->defined = true; break;
	case O_DUMPJSON: o->dumpjson = true; break;
	case O_VERBOSE: o->verbose = true; break;
	case O_DELATTR: o->delattr = true; break;
	case O_LIVE: o->live = true; break;
	default: break;
	}
}

static bool allowed(const struct parse *p, enum opt id)
{
	if (id == O_HELP)
		return true;
	if (id == O_VERSION)
		return p->sub->cmd == CLI_LIST;
	for (const struct opthelp *h = p->sub->opts; h->id != O_N; h++)
		if (h->id == id)
			return true;
	return false;
}

static int found(struct parse *p, enum opt id, const char *val);

static int unknown(const struct parse *p, const char *arg)
{
	/* a long option close to a known one gets clap's suggestion */
	if (!strncmp(arg, "--", 2) && arg[2]) {
		const char *best = NULL;
		double score = 0.7;
		char name[128];
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
		for (const struct opthelp *h = p->sub->opts; h->id != O_N; h++) {
			double s = jaro(name, optdefs[h->id].lng);
			if (s > score) {
				score = s;
				best = optdefs[h->id].lng;
			}
		}
		if (best) {
			/* clap then shows the group derived from the subcommand's option struct */
			char usage[512], a[128];
			size_t len = 0;
			if (p->sub->cmd == CLI_MODIFY)
				len = (size_t)snprintf(usage, sizeof(usage), "%s ", modify_group_text());
			for (const struct opthelp *h = p->sub->opts; h->id != O_N && len < sizeof(usage); h++)
				len += (size_t)snprintf(usage + len, sizeof(usage) - len, "%s%s",
							h == p->sub->opts ? "<" : "|",
							arg_text(h->id, a, sizeof(a)));
			if (len < sizeof(usage))
				snprintf(usage + len, sizeof(usage) - len, ">");
			fprintf(stderr, "error: Found argument '%s' which wasn't expected, or isn't valid in this context\n\n  Did you mean '--%s'?\n\n",
				arg, best);
			usage_line(stderr, p, usage);
			fputs("\n\nFor more information try '--help'\n", stderr);
			return 2;
		}
	}
	char ub[512];
	return fail(p, sub_usage(p->sub, p->sub->err_usage, ub, sizeof(ub)),
		    "Found argument '%s' which wasn't expected, or isn't valid in this context", arg);
}

/* One option met on the command line; val is its value (NULL for flags). Returns -1 to go on,
 * or an exit status. */
static int found(struct parse *p, enum opt id, const char *val)
{
	char buf[128], ub[512];
	if (id == O_HELP)
		return -1; /* handled by the caller, which knows -h from --help */
	if (p->seen & BIT(id))
		return fail(p, sub_usage(p->sub, p->sub->err_usage, ub, sizeof(ub)),
			    "The argument '%s' was provided more than once, but cannot be used multiple times",
			    arg_text(id, buf, sizeof(buf)));
	p->seen |= BIT(id);
	p->order[p->n_order++] = id;
	if (optdefs[id].value)
		return set_value(p, id, val);
	set_flag(p, id);
	return -1;
}

/* ---------------------------------------------------------------- relations (C-5, C-6) */

struct conflict {
	enum cli_command cmd;
	enum opt a;
	unsigned int with;
};


static const struct conflict conflicts[] = {
	{ CLI_DEFINE, O_JSONFILE, BIT(O_TYPE) | BIT(O_AUTO) },
	{ CLI_START, O_JSONFILE, BIT(O_TYPE) },
	{ CLI_MODIFY, O_VALUE, BIT(O_DELATTR) },
	{ CLI_MODIFY, O_AUTO, BIT(O_INDEX) | BIT(O_VALUE) },
	{ CLI_MODIFY, O_MANUAL, BIT(O_INDEX) | BIT(O_VALUE) },
	{ CLI_MODIFY, O_LIVE, BIT(O_TYPE) | BIT(O_INDEX) | BIT(O_VALUE) },
	{ CLI_MODIFY, O_JSONFILE, BIT(O_TYPE) | BIT(O_INDEX) | BIT(O_VALUE) },
};

/* Everything id conflicts with, whichever side declared it. */
static unsigned int conflicts_of(enum cli_command cmd, enum opt id)
{
	unsigned int m = 0;
	for (size_t i = 0; i < sizeof(conflicts) / sizeof(conflicts[0]); i++) {
		if (conflicts[i].cmd != cmd)
			continue;
		if (conflicts[i].a == id)
			m |= conflicts[i].with;
		if (conflicts[i].with & BIT(id))
			m |= BIT(conflicts[i].a);
	}
	if (cmd == CLI_MODIFY && (MODIFY_GROUP & BIT(id)))
		m |= MODIFY_GROUP & ~BIT(id);
	return m;
}

/* The usage line of a relation error, as clap 4.0 builds it: the always-required --uuid, the
 * arguments given (less the modify group's members and the conflicting one), the missing
 * ones, then the modify group. */
static void relation_usage(const struct parse *p, unsigned int exclude, const char *const *missing,
			   size_t n_missing, char *buf, size_t sz)
{
	enum cli_command cmd = p->sub->cmd;
	char a[128];
	size_t len = 0;
	buf[0] = '\0';
#define ADD(str) (len += (size_t)snprintf(buf + len, len < sz ? sz - len : 0, "%s%s", len ? " " : "", str))
	bool always_uuid = cmd == CLI_MODIFY || cmd == CLI_UNDEFINE || cmd == CLI_STOP;
	if (always_uuid)
		ADD("--uuid <UUID>");
	if (cmd == CLI_MODIFY)
		exclude |= MODIFY_GROUP;
	for (size_t i = 0; i < p->n_order; i++) {
		enum opt id = p->order[i];
		if ((exclude & BIT(id)) || (always_uuid && id == O_UUID))
			continue;
		ADD(arg_text(id, a, sizeof(a)));
	}
	for (size_t i = 0; i < n_missing; i++)
		if (!(always_uuid && !strcmp(missing[i], "--uuid <UUID>")) && missing[i][0] != '<')
			ADD(missing[i]);
	if (cmd == CLI_MODIFY)
		ADD(modify_group_text());
	if (cmd == CLI_START_PARENT_MDEVS)
		ADD("<PARENT>");
#undef ADD
}

static int check_relations(struct parse *p)
{
	char a[128], b[128], usage[512];
	enum cli_command cmd = p->sub->cmd;
	/* conflicts first, in command-line order */
	for (size_t i = 0; i < p->n_order; i++) {
		unsigned int c = conflicts_of(cmd, p->order[i]) & p->seen;
		if (!c)
			continue;
		for (size_t j = 0; j < p->n_order; j++) {
			if (!(c & BIT(p->order[j])))
				continue;
			relation_usage(p, BIT(p->order[j]), NULL, 0, usage, sizeof(usage));
			return fail(p, usage, "The argument '%s' cannot be used with '%s'",
				    arg_text(p->order[i], a, sizeof(a)),
				    arg_text(p->order[j], b, sizeof(b)));
		}
	}
	/* then what is required; an argument that conflicts with a given one is not missing */
	const char *missing[4];
	size_t n = 0;
	unsigned int s = p->seen;
#define NEED(id) (!(s & BIT(id)) && !(conflicts_of(cmd, id) & s))
	switch (cmd) {
	case CLI_DEFINE:
	case CLI_START:
		if (!(s & (BIT(O_UUID) | BIT(O_PARENT)))) {
			missing[n++] = "--uuid <UUID>";
			missing[n++] = "--parent <PARENT>";
		}
		break;
	case CLI_UNDEFINE:
	case CLI_STOP:
		if (!(s & BIT(O_UUID)))
			missing[n++] = "--uuid <UUID>";
		break;
	case CLI_MODIFY:
		if (!(s & BIT(O_UUID)))
			missing[n++] = "--uuid <UUID>";
		if (!(s & MODIFY_GROUP))
			missing[n++] = modify_group_text();
		if ((s & BIT(O_ADDATTR)) && NEED(O_VALUE))
			missing[n++] = "--value <attr_value>";
		if ((s & BIT(O_VALUE)) && NEED(O_ADDATTR))
			missing[n++] = "--addattr <attr_name>";
		if ((s & BIT(O_LIVE)) && NEED(O_JSONFILE))
			missing[n++] = "--jsonfile <JSONFILE>";
		break;
	case CLI_START_PARENT_MDEVS:
		if (!p->positional)
			missing[n++] = "<PARENT>";
		break;
	default:
		break;
	}
#undef NEED
	if (!n)
		return -1;
	fputs("error: The following required arguments were not provided:", stderr);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "\n  %s", missing[i]);
	fputs("\n\n", stderr);
	relation_usage(p, 0, missing, n, usage, sizeof(usage));
	usage_line(stderr, p, usage);
	fputs("\n\nFor more information try '--help'\n", stderr);
	return 2;
}

/* ---------------------------------------------------------------- parsing */

static int find_long(const char *name, size_t len)
{
	for (int i = 0; i < O_N; i++)
		if (strlen(optdefs[i].lng) == len && !strncmp(optdefs[i].lng, name, len))
			return i;
	return -1;
}

static int find_short(char c)
{
	for (int i = 0; i < O_N; i++)
		if (optdefs[i].shrt == c)
			return i;
	return -1;
}

static int help_or_version(struct parse *p, enum opt id, bool lng)
{
	if (id == O_HELP) {
		help_sub(stdout, p, p->sub, lng);
		return 0;
	}
	/* list -V names itself after the subcommand (C-8) */
	printf("%s %s\n", p->lsmdev ? "lsmdev" : "mdevctl-list", COMPAT_VERSION);
	return 0;
}

/* An option whose value is missing: clap reports the next token first if it is no option of
 * this subcommand ("-i -1": "-1" is unknown). */
static int missing_value(struct parse *p, enum opt id, const char *next)
{
	char buf[128];
	if (next && strcmp(next, "--")) {
		int nid = -1;
		if (next[1] == '-')
			nid = find_long(next + 2, strcspn(next + 2, "="));
		else
			nid = find_short(next[1]);
		if (nid < 0 || !allowed(p, (enum opt)nid)) {
			if (next[1] != '-') {
				char bad[3] = { '-', next[1], 0 };
				return unknown(p, next[1] >= '0' && next[1] <= '9' ? next : bad);
			}
			return unknown(p, next);
		}
	}
	return fail(p, NULL, "The argument '%s' requires a value but none was supplied",
		    arg_text(id, buf, sizeof(buf)));
}

static int parse_sub(struct parse *p, int argc, char **argv, int i)
{
	bool trailing = false;
	for (; i < argc; i++) {
		const char *a = argv[i];
		int r;
		if (!trailing && !strcmp(a, "--")) {
			trailing = true;
			continue;
		}
		if (trailing || a[0] != '-' || !a[1]) {
			if (p->sub->cmd == CLI_START_PARENT_MDEVS && !p->positional) {
				p->positional = a;
				continue;
			}
			return unknown(p, a);
		}
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			int id = find_long(name, len);
			if (id < 0 || !allowed(p, (enum opt)id))
				return unknown(p, a);
			if (id == O_HELP || id == O_VERSION)
				return help_or_version(p, (enum opt)id, true);
			const char *val = NULL;
			if (optdefs[id].value) {
				if (eq)
					val = eq + 1;
				else if (i + 1 < argc && (argv[i + 1][0] != '-' || !argv[i + 1][1]))
					val = argv[++i];
				else
					return missing_value(p, (enum opt)id, i + 1 < argc ? argv[i + 1] : NULL);
			} else if (eq) {
				char buf[128];
				return fail(p, arg_text((enum opt)id, buf, sizeof(buf)),
					    "The value '%s' was provided to '%s' but it wasn't expecting any more values",
					    eq + 1, buf);
			}
			if ((r = found(p, (enum opt)id, val)) >= 0)
				return r;
			continue;
		}
		/* one or more short options: -d, -dv, -pVALUE, -p=VALUE, -p VALUE */
		for (const char *c = a + 1; *c; c++) {
			int id = find_short(*c);
			if (id < 0 || !allowed(p, (enum opt)id)) {
				char bad[3] = { '-', *c, 0 };
				return unknown(p, bad);
			}
			if (id == O_HELP || id == O_VERSION)
				return help_or_version(p, (enum opt)id, false);
			const char *val = NULL;
			if (optdefs[id].value) {
				if (c[1])
					val = c[1] == '=' ? c + 2 : c + 1;
				else if (i + 1 < argc && (argv[i + 1][0] != '-' || !argv[i + 1][1]))
					val = argv[++i];
				else
					return missing_value(p, (enum opt)id, i + 1 < argc ? argv[i + 1] : NULL);
			}
			if ((r = found(p, (enum opt)id, val)) >= 0)
				return r;
			if (val)
				break;
		}
	}
	if (p->sub->cmd == CLI_START_PARENT_MDEVS)
		p->o->parent = p->positional;
	return check_relations(p);
}

bool cli_is_lsmdev(const char *argv0)
{
	size_t n = strlen(argv0);
	return n >= 6 && !strcmp(argv0 + n - 6, "lsmdev");
}

static const struct subcmd *find_sub(const char *name)
{
	for (size_t i = 0; i < sizeof(subcmds) / sizeof(subcmds[0]); i++)
		if (!strcmp(subcmds[i].name, name))
			return &subcmds[i];
	return NULL;
}

static int unrecognized(const struct parse *p, const char *name)
{
	/* clap suggests among the listed subcommands (not the hidden one) and help */
	const char *best = NULL;
	double score = 0.7;
	for (size_t i = 0; i <= sizeof(subcmds) / sizeof(subcmds[0]); i++) {
		bool is_help = i == sizeof(subcmds) / sizeof(subcmds[0]);
		if (!is_help && !subcmds[i].about)
			continue;
		const char *cand = is_help ? "help" : subcmds[i].name;
		double s = jaro(name, cand);
		if (s > score) {
			score = s;
			best = cand;
		}
	}
	fprintf(stderr, "error: The subcommand '%s' wasn't recognized\n\n", name);
	if (best)
		fprintf(stderr, "  Did you mean '%s'?\n\n  If you believe you received this message in error, try re-running with '%s -- %s'\n\n",
			best, p->bin, name);
	fprintf(stderr, "Usage: %s <COMMAND>\n\nFor more information try '--help'\n", p->bin);
	return 2;
}

int cli_parse(int argc, char **argv, struct cli_opts *opts)
{
	struct parse p = { .bin = basename_of(argc > 0 ? argv[0] : "mdevctl"), .o = opts };
	memset(opts, 0, sizeof(*opts));
	if (argc > 0 && cli_is_lsmdev(argv[0])) {
		p.lsmdev = true;
		p.sub = find_sub("list");
		opts->cmd = CLI_LIST;
		return parse_sub(&p, argc, argv, 1);
	}
	if (argc < 2) {
		help_top(stderr, &p);
		return 2;
	}
	const char *first = argv[1];
	if (!strcmp(first, "-h") || !strcmp(first, "--help")) {
		help_top(stdout, &p);
		return 0;
	}
	if (!strcmp(first, "-V") || !strcmp(first, "--version")) {
		printf("mdevctl %s\n", COMPAT_VERSION);
		return 0;
	}
	if (!strcmp(first, "help")) {
		if (argc < 3) {
			help_top(stdout, &p);
			return 0;
		}
		const struct subcmd *s = find_sub(argv[2]);
		if (!s)
			return unrecognized(&p, argv[2]);
		p.sub = s;
		help_sub(stdout, &p, s, true);
		return 0;
	}
	if (first[0] == '-' && first[1])
		return fail(&p, "<COMMAND>", "Found argument '%s' which wasn't expected, or isn't valid in this context",
			    first);
	p.sub = find_sub(first);
	if (!p.sub)
		return unrecognized(&p, first);
	opts->cmd = p.sub->cmd;
	return parse_sub(&p, argc, argv, 2);
}
