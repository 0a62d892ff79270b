/* fuzz_binary.c - libFuzzer target for the parsers of binary and
 * metadata content from an image: the static unpacker (ELF program
 * headers, stub, blobs), the network-indicator scanner, the LVM2 text
 * metadata parser and the jbd2 superblock/descriptor/revoke parsers.
 * The first input byte picks the parser.  See tests/fuzz/README.md. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ms_model.h"
#include "artifacts/indicators.h"
#include "detection/unpack.h"
#include "evidence/ext_journal.h"
#include "evidence/lvm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t *d = data + 1;
    size_t n = size - 1;
    switch (data[0] % 4) {
    case 0: {
        ms_unpack_result r;
        memset(&r, 0, sizeof r);
        ms_unpack(d, n, &r);
        ms_unpack_result_free(&r);
        break;
    }
    case 1: {
        ms_indicator *list = NULL;
        size_t cnt = 0;
        int trunc = 0;
        if (ms_ioc_scan(d, n, 64, &list, &cnt, &trunc) == MS_OK)
            ms_ioc_free(list, cnt);
        break;
    }
    case 2: {
        ms_lvm_vg *vg = NULL;
        char *err = NULL;
        if (ms_lvm_parse_metadata((const char *)d, n, &vg, &err) == MS_OK)
            ms_lvm_vg_free(vg);
        free(err);
        break;
    }
    default: {
        ms_jsb sb;
        if (ms_jsb_parse(d, n, &sb) == MS_OK && n > 1024) {
            ms_jtag tags[512];
            uint64_t blocks[512];
            size_t cnt = 0;
            ms_jdesc_parse(&sb, d + 1024, n - 1024, tags, 512, &cnt);
            ms_jrevoke_parse(&sb, d + 1024, n - 1024, blocks, 512, &cnt);
        }
        break;
    }
    }
    return 0;
}
