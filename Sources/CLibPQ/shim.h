#ifndef SMDR_CLIBPQ_SHIM_H
#define SMDR_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
