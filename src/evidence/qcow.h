/* qcow.h - qcow (v1) and qcow2 images through libqcow.
 *
 * libtsk 4.11 has no qcow reader and would read the container as raw
 * bytes.  libqcow decodes the cluster tables; the guest disk is handed to
 * libtsk through imgwrap, so everything inside is found as on raw media.
 * The file is opened read-only (LIBQCOW_OPEN_READ). */
#ifndef MS_QCOW_H
#define MS_QCOW_H

#include <tsk/libtsk.h>
#include "common/ms_error.h"

/* 1 if the first bytes of img are the qcow magic "QFI\xfb". */
int ms_qcow_detect(TSK_IMG_INFO *img);

/* Open path as a qcow image.  *type_name is "qcow" or "qcow2" (static).
 * Images that cannot be read on their own return MS_ERR_UNSUPPORTED with
 * the reason in *err_text (a backing file libqcow cannot resolve here,
 * encryption); other failures MS_ERR_FORMAT/MS_ERR_NOMEM. */
ms_err ms_qcow_open(const char *path, TSK_IMG_INFO **out,
                    const char **type_name, char **err_text);

#endif
