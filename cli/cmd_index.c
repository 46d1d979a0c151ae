/* placeholder: these commands are being built; each says so and exits 2 */
#include "common.h"
int cli_cmd_index(int argc, char **argv, cli_globals *g)
{
    (void)argc; (void)argv; (void)g;
    cli_error("index: not available in this build yet");
    return CLI_EXIT_ERROR;
}
