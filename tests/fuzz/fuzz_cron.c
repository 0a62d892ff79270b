/* fuzz_cron.c - libFuzzer target for the parsers that read hostile bytes
 * straight from an image: crontab files, cron commands, ELF headers,
 * path normalization and the escapers.  Not run by `make check`; see
 * tests/fuzz/README.md. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "artifacts/cron_command.h"
#include "artifacts/cron_parse.h"
#include "artifacts/cron_rawscan.h"
#include "artifacts/linereader.h"
#include "artifacts/namescore.h"
#include "artifacts/pathres.h"
#include "detection/fileinfo.h"
#include "report/escape.h"

/* The crontab raw scan over the same bytes, read in 7-byte pieces so
 * that lines and windows are cut everywhere. */
static ssize_t read7(void *src, uint64_t off, void *buf, size_t len)
{
    return ms_lines_mem_read(src, off, buf, len < 7 ? len : 7);
}

static void fuzz_rawscan(const uint8_t *data, size_t size)
{
    ms_rawscan *r = NULL;
    ms_reason *rs = NULL;
    size_t n = 0;
    ms_lines_mem m = { data, size };
    if (ms_rawscan_new(&r) != MS_OK)
        return;
    if (ms_lines_read(read7, &m, 16, ms_rawscan_line, ms_rawscan_block, r,
                      NULL) == MS_OK)
        ms_rawscan_finish(r, &rs, &n);
    for (size_t i = 0; i < n; i++)
        free(rs[i].text);
    free(rs);
    ms_rawscan_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_rawscan(data, size);
    ms_cron_file *cf = NULL;
    if (ms_cron_parse((const char *)data, size, size & 1, &cf) == MS_OK) {
        for (size_t i = 0; i < cf->nentries; i++) {
            ms_cmd_prog *p = NULL;
            size_t n = 0;
            if (ms_cron_command_programs(cf->entries[i].command, &p, &n) == MS_OK)
                ms_cmd_progs_free(p, n);
            free(ms_cron_sched_describe(&cf->entries[i].sched));
        }
        ms_cron_file_free(cf);
    }
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    free(ms_path_normalize(s, "/var/tmp"));
    ms_name_score(s, NULL);
    free(ms_escape_text((const char *)data, size));
    free(ms_escape_html((const char *)data, size));
    ms_elfinfo elf;
    ms_elf_parse(data, size, &elf);
    free(s);
    return 0;
}
