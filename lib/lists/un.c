/* placeholder: replaced by the UN consolidated list loader */
#include "lists/builder.h"
#include "util/error.h"
int sanctum_load_un_sc(sanctum_builder *b, const char *dir, sanctum_error *err)
{
    return sanctum_error_set(err, SANCTUM_EINTERNAL, dir, 0, "UN loader not built yet");
}
