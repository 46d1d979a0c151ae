/* placeholder: these commands are being built; each says so and exits 2 */
#include "common.h"
int cli_cmd_update(int argc, char **argv, cli_globals *g)
{
    (void)argc; (void)argv; (void)g;
    cli_error("update: not available in this build yet");
    return CLI_EXIT_ERROR;
}
int cli_cmd_versions(int argc, char **argv, cli_globals *g)
{
    (void)argc; (void)argv; (void)g;
    cli_error("versions: not available in this build yet");
    return CLI_EXIT_ERROR;
}
int cli_cmd_diff(int argc, char **argv, cli_globals *g)
{
    (void)argc; (void)argv; (void)g;
    cli_error("diff: not available in this build yet");
    return CLI_EXIT_ERROR;
}
int cli_cmd_audit(int argc, char **argv, cli_globals *g)
{
    (void)argc; (void)argv; (void)g;
    cli_error("audit: not available in this build yet");
    return CLI_EXIT_ERROR;
}
int cli_cmd_monitor(int argc, char **argv, cli_globals *g)
{
    (void)argc; (void)argv; (void)g;
    cli_error("monitor: not available in this build yet");
    return CLI_EXIT_ERROR;
}
int cli_cmd_alerts(int argc, char **argv, cli_globals *g)
{
    (void)argc; (void)argv; (void)g;
    cli_error("alerts: not available in this build yet");
    return CLI_EXIT_ERROR;
}
