// SPDX-License-Identifier: GPL-2.0
/* `mmrepro info`: what the module reports, and the memory-management environment. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cli_args.h"
#include "cmd/cmds.h"
#include "lib/dev.h"
#include "scenarios/protnone_method.h"
#include "report/report.h"
#include "harness/scenario.h"
#include "lib/sysinfo.h"

const char usage_info[] =
"Usage: mmrepro info [--json]\n"
"\n"
"Print what /dev/mmrepro reports (ABI version, kernel release, the\n"
"pin_user_pages() form and make_device_exclusive() API the module was built\n"
"with, capabilities) and the environment the scenarios depend on, each fact\n"
"with the file it was read from: NUMA nodes, memory blocks (online, movable),\n"
"swap, debugfs, THP mode, hugetlb pages, KSM, NUMA balancing, FOLL_PIN counters.\n"
"Without the module loaded only the environment is printed.\n"
"\n"
"Options:\n"
"  --json   one JSON object {\"cli\":..,\"module\":..,\"environment\":..}\n"
"\n"
"Exit status: 0 ok; 2 the module's ABI differs from this mmrepro's (rebuild\n"
"both from the same tree); 69 module not loaded; 77 not permitted; 64 usage.\n";

/* What INFO's pin_api, exclusive_api and protnone_method values mean. */
enum name_kind { NAME_PIN_API, NAME_EXCL_API, NAME_PROTNONE };

static const struct {
	enum name_kind kind;
	unsigned int value;
	const char *text;
} value_names[] = {
	{ NAME_PIN_API, MMREPRO_PIN_API_VMAS,
	  "pin_user_pages(start, n, flags, pages, vmas) (kernel < 6.5)" },
	{ NAME_PIN_API, MMREPRO_PIN_API_NO_VMAS,
	  "pin_user_pages(start, n, flags, pages) (kernel >= 6.5)" },
	{ NAME_EXCL_API, MMREPRO_EXCL_API_NONE,
	  "none (no CONFIG_DEVICE_PRIVATE, or no such function)" },
	{ NAME_EXCL_API, MMREPRO_EXCL_API_RANGE,
	  "make_device_exclusive_range() (kernel <= 6.14)" },
	{ NAME_EXCL_API, MMREPRO_EXCL_API_SINGLE,
	  "make_device_exclusive() (kernel >= 6.15)" },
	{ NAME_PROTNONE, MMREPRO_PROTNONE_NONE,
	  "none (change_prot_numa_force() not exported: kernel without the project's patch)" },
	{ NAME_PROTNONE, MMREPRO_PROTNONE_PATCHED,
	  "patched (change_prot_numa_force() from the project's kernel patch)" },
};

static const char *value_name(enum name_kind kind, unsigned int value)
{
	size_t i;

	for (i = 0; i < sizeof(value_names) / sizeof(value_names[0]); i++)
		if (value_names[i].kind == kind && value_names[i].value == value)
			return value_names[i].text;
	return "unknown";
}

const char *info_pin_api_name(unsigned int api)
{
	return value_name(NAME_PIN_API, api);
}

const char *info_excl_api_name(unsigned int api)
{
	return value_name(NAME_EXCL_API, api);
}

const char *info_protnone_name(uint32_t method)
{
	return value_name(NAME_PROTNONE, method);
}

void info_caps_text(uint64_t caps, char *buf, size_t len)
{
	static const struct { uint64_t bit; const char *name; } names[] = {
		{ MMREPRO_CAP_HONOR_NUMA_FAULT, "honor-numa-fault" },
		{ MMREPRO_CAP_DEVICE_EXCLUSIVE, "device-exclusive" },
		{ MMREPRO_CAP_PIN_LONGTERM, "pin-longterm" },
		{ MMREPRO_CAP_FORCE_PROTNONE, "force-protnone" },
		{ MMREPRO_CAP_FORCE_PROTNONE_PMD, "force-protnone-pmd" },
		{ MMREPRO_CAP_PROTNONE_NOTIFIERS, "protnone-notifiers" },
		{ MMREPRO_CAP_NOTIFIER_EVENTS, "notifier-events" },
		{ MMREPRO_CAP_NUMA_BALANCING, "numa-balancing" },
	};
	size_t used = 0, i;

	if (!len)
		return;
	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(caps & names[i].bit))
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
					 names[i].name);
		caps &= ~names[i].bit;
		if (used >= len)
			return;
	}
	if (caps)
		used += (size_t)snprintf(buf + used, len - used, "%sunknown 0x%" PRIx64,
					 used ? ", " : "", caps);
	if (!used)
		snprintf(buf, len, "none");
}

struct module_state {
	bool ok;		/* info is valid */
	int code;		/* exit code when !ok */
	char error[256];
	struct mmrepro_info info;
};

int module_open(struct mmrepro_info *info, int *code, char *err, size_t errlen)
{
	int fd = dev_open_checked(MMREPRO_DEVICE, info, err, errlen);

	if (fd >= 0)
		*code = EXIT_OK;
	else if (fd == -ENOENT || fd == -ENXIO || fd == -ENODEV)
		*code = EXIT_UNAVAILABLE;
	else if (fd == -EACCES || fd == -EPERM)
		*code = EXIT_NOPERM;
	else
		*code = EXIT_ERROR;
	return fd >= 0 ? fd : -1;
}

static void query_module(struct module_state *m)
{
	int fd;

	memset(m, 0, sizeof(*m));
	fd = module_open(&m->info, &m->code, m->error, sizeof(m->error));
	if (fd < 0)
		return;
	m->ok = true;
	close(fd);
}

static void print_text(const struct module_state *m, const struct sysinfo *si)
{
	const struct mmrepro_info *i = &m->info;
	enum pn_method m_pn;
	char caps[128], why[200];

	printf("mmrepro %s (ABI %d)\n", MMREPRO_CLI_VERSION, MMREPRO_ABI_VERSION);
	if (!m->ok) {
		printf("%s\n", m->error);
	} else {
		info_caps_text(i->caps, caps, sizeof(caps));
		printf("module:  [%s, MMREPRO_IOC_INFO]\n", MMREPRO_DEVICE);
		printf("  %-18s %u\n", "ABI version", i->abi_version);
		printf("  %-18s %s\n", "module version", i->module_version);
		printf("  %-18s %s\n", "kernel release", i->release);
		printf("  %-18s %u\n", "page size", i->page_size);
		printf("  %-18s %s\n", "pin API", info_pin_api_name(i->pin_api));
		printf("  %-18s %s\n", "exclusive API", info_excl_api_name(i->exclusive_api));
		printf("  %-18s %s\n", "PROT_NONE forcing", info_protnone_name(i->protnone_method));
		m_pn = pn_method_best(i, why, sizeof(why));
		printf("  %-18s %s: %s\n", "hinting PROT_NONE", pn_method_name(m_pn), why);
		printf("  %-18s %s\n", "capabilities", caps);
		printf("  %-18s %u pages per pin, %u bytes per read/write\n", "limits",
		       i->max_pin_pages, i->max_io_bytes);
	}
	printf("environment:\n");
	sysinfo_print_text(stdout, si);
}

static void print_json(const struct module_state *m, const struct sysinfo *si)
{
	const struct mmrepro_info *i = &m->info;
	char caps[128], why[200];
	enum pn_method m_pn;

	printf("{\"cli\":{\"version\":\"%s\",\"abi\":%d},\"module\":", MMREPRO_CLI_VERSION,
	       MMREPRO_ABI_VERSION);
	if (!m->ok) {
		printf("{\"available\":false,\"error\":");
		json_write_string(stdout, m->error);
		putchar('}');
	} else {
		info_caps_text(i->caps, caps, sizeof(caps));
		printf("{\"available\":true,\"abi\":%u,\"module_version\":", i->abi_version);
		json_write_string(stdout, i->module_version);
		printf(",\"release\":");
		json_write_string(stdout, i->release);
		printf(",\"page_size\":%u,\"pin_api\":%u,\"pin_api_name\":", i->page_size,
		       i->pin_api);
		json_write_string(stdout, info_pin_api_name(i->pin_api));
		printf(",\"exclusive_api\":%u,\"exclusive_api_name\":", i->exclusive_api);
		json_write_string(stdout, info_excl_api_name(i->exclusive_api));
		printf(",\"protnone_method\":%u,\"protnone_method_name\":", i->protnone_method);
		json_write_string(stdout, info_protnone_name(i->protnone_method));
		m_pn = pn_method_best(i, why, sizeof(why));
		printf(",\"hinting_protnone\":{\"method\":\"%s\",\"why\":", pn_method_name(m_pn));
		json_write_string(stdout, why);
		printf("},\"caps\":%llu,\"caps_names\":", (unsigned long long)i->caps);
		json_write_string(stdout, caps);
		printf(",\"max_pin_pages\":%u,\"max_io_bytes\":%u}", i->max_pin_pages,
		       i->max_io_bytes);
	}
	printf(",\"environment\":");
	sysinfo_print_json(stdout, si);
	printf("}\n");
}

int cmd_info(int argc, char **argv)
{
	struct module_state m;
	char err[CLI_ERR_MAX];
	struct info_opts o;
	struct sysinfo si;

	if (parse_info_args(argc, argv, &o, err, sizeof(err)) || o.help)
		return usage_or_error("info", usage_info, o.help, err);
	query_module(&m);
	sysinfo_probe(&si, NULL);
	if (o.json)
		print_json(&m, &si);
	else
		print_text(&m, &si);
	if (!m.ok && o.json)
		fprintf(stderr, "mmrepro info: %s\n", m.error);
	return m.ok ? EXIT_OK : m.code;
}
