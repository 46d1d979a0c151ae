/* placeholder: replaced by the OFAC SDN loader */
#include "lists/builder.h"
#include "util/error.h"
int sanctum_load_ofac_sdn(sanctum_builder *b, const char *dir, sanctum_error *err)
{
    return sanctum_error_set(err, SANCTUM_EINTERNAL, dir, 0, "OFAC loader not built yet");
}
