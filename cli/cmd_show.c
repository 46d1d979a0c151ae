/*
 * cmd_show.c - `sanctum show ID`: every field of one listed entity.
 *
 * The readable form lists the primary name, type, list and programs, then
 * every name with its kind, quality and script, and each group of facts
 * (dates and places of birth, nationalities, documents, wallets, addresses,
 * links, contacts, remarks, attributes) that the entity has. When the same
 * party is listed elsewhere (see sanctum_dataset_links()), every other
 * listing follows: a summary line each with the reason for the link, then
 * each linked listing in full; "possibly the same" listings are named but
 * not shown in full, since they may be someone else. --json prints the
 * entity's JSON form, whose "listings" names the other listings.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "common.h"

enum { OPT_JSON = CLI_OPT_FIRST_COMMAND };

static void usage(FILE *out)
{
    fputs("Usage: sanctum show ID [--json]\n"
          "\n"
          "Shows every field of one listed entity. ID is the list name and the entity's\n"
          "key on that list, e.g. ofac-sdn:43377 or un-sc:KPi.066. When the same party\n"
          "is listed elsewhere, its other listings follow, each with the reason for the link.\n"
          "\n"
          "  --json         print the entity as one JSON object\n"
          "\n",
          out);
    fputs(cli_global_help, out);
}

#define LABEL "  %-16s "

static void print_strs(const char *label, const char *const *s, size_t n)
{
    for (size_t i = 0; i < n; i++) printf(LABEL "%s\n", i == 0 ? label : "", s[i] ? s[i] : "");
}

static void print_str(const char *label, const char *s)
{
    if (s && *s) printf(LABEL "%s\n", label, s);
}

/* "text" or, when the loader gave no text, the parts as YYYY-MM-DD. */
static void print_date(const char *label, const sanctum_date *d)
{
    printf(LABEL, label);
    if (d->text && *d->text) {
        fputs(d->text, stdout);
    } else {
        printf("%04d", d->year);
        if (d->month) printf("-%02d", d->month);
        if (d->day) printf("-%02d", d->day);
        if (d->to_year) {
            printf(" to %04d", d->to_year);
            if (d->to_month) printf("-%02d", d->to_month);
            if (d->to_day) printf("-%02d", d->to_day);
        }
    }
    if (d->circa) fputs(" (circa)", stdout);
    putchar('\n');
}

/* Prints the non-empty parts joined by ", ", with an optional "(note)". */
static void print_parts(const char *label, const char *const *parts, size_t n, const char *note)
{
    printf(LABEL, label);
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        if (!parts[i] || !*parts[i]) continue;
        printf("%s%s", first ? "" : ", ", parts[i]);
        first = 0;
    }
    if (note && *note) printf("%s(%s)", first ? "" : " ", note);
    else if (first) fputs("-", stdout);
    putchar('\n');
}

static void print_entity(const sanctum_entity *e)
{
    const char *primary = e->n_names ? e->names[0].full : NULL;
    printf("%s  %s\n", e->id, primary ? primary : "(no name)");
    print_str("type:", sanctum_type_name(e->type));
    print_str("list:", e->source);
    print_str("key:", e->key);
    if (e->n_programs) print_strs("programs:", e->programs, e->n_programs);
    print_str("listed on:", e->listed_on);
    for (size_t i = 0; i < e->n_names; i++) {
        const sanctum_name *n = &e->names[i];
        printf(LABEL "%-8s %-6s %-8s %s\n", i == 0 ? "names:" : "", sanctum_name_kind_name(n->kind),
               n->quality == SANCTUM_QUALITY_WEAK ? "weak" : "strong", sanctum_script_name(n->script),
               n->full ? n->full : "");
    }
    print_str("title:", e->title);
    print_str("gender:", e->gender);
    for (size_t i = 0; i < e->n_dobs; i++) print_date(i == 0 ? "date of birth:" : "", &e->dobs[i]);
    print_strs("place of birth:", e->places_of_birth, e->n_places_of_birth);
    print_strs("nationality:", e->nationalities, e->n_nationalities);
    print_strs("citizenship:", e->citizenships, e->n_citizenships);
    for (size_t i = 0; i < e->n_documents; i++) {
        const sanctum_document *d = &e->documents[i];
        printf(LABEL "%s", i == 0 ? "documents:" : "", d->type && *d->type ? d->type : "document");
        if (d->number && *d->number) printf(" %s", d->number);
        if (d->country && *d->country) printf(" (%s)", d->country);
        if (d->issued && *d->issued) printf(", issued %s", d->issued);
        if (d->expires && *d->expires) printf(", expires %s", d->expires);
        if (d->note && *d->note) printf("; %s", d->note);
        putchar('\n');
    }
    for (size_t i = 0; i < e->n_wallets; i++)
        printf(LABEL "%s %s\n", i == 0 ? "wallets:" : "", e->wallets[i].currency ? e->wallets[i].currency : "?",
               e->wallets[i].address ? e->wallets[i].address : "");
    for (size_t i = 0; i < e->n_addresses; i++) {
        const sanctum_address *a = &e->addresses[i];
        const char *parts[] = { a->street, a->city, a->state, a->postal, a->country };
        print_parts(i == 0 ? "addresses:" : "", parts, sizeof parts / sizeof parts[0], a->note);
    }
    for (size_t i = 0; i < e->n_links; i++)
        printf(LABEL "%s: %s\n", i == 0 ? "links:" : "", e->links[i].relation ? e->links[i].relation : "related",
               e->links[i].target ? e->links[i].target : "");
    print_strs("emails:", e->emails, e->n_emails);
    print_strs("websites:", e->websites, e->n_websites);
    print_strs("phones:", e->phones, e->n_phones);
    for (size_t i = 0; i < e->n_attrs; i++)
        printf(LABEL "%s: %s\n", i == 0 ? "attributes:" : "", e->attrs[i].key ? e->attrs[i].key : "",
               e->attrs[i].value ? e->attrs[i].value : "");
    print_str("remarks:", e->remarks);
}

/* The summary lines of e's other listings, then each linked one in full. */
static void print_listings(const sanctum_dataset *ds, const sanctum_entity *e)
{
    const sanctum_entity_link *links;
    size_t n = sanctum_dataset_links(ds, e, &links);
    if (!n) return;
    for (size_t i = 0; i < n; i++) {
        const sanctum_entity *o = links[i].entity;
        printf(LABEL "%s  %s\n", i == 0 ? "also listed:" : "", o->id, o->n_names ? o->names[0].full : "(no name)");
        printf(LABEL "  %s: %s\n", "", links[i].strength == SANCTUM_LINK_POSSIBLE ? "possibly the same" : "linked",
               links[i].reason ? links[i].reason : "");
    }
    for (size_t i = 0; i < n; i++) {
        if (links[i].strength != SANCTUM_LINK_SAME) continue;
        printf("\n-- also listed as (%s)\n", links[i].reason ? links[i].reason : "linked");
        print_entity(links[i].entity);
    }
}

int cli_cmd_show(int argc, char **argv, cli_globals *g)
{
    static const struct option longopts[] = {
        CLI_GLOBAL_LONGOPTS,
        { "json", no_argument, NULL, OPT_JSON },
        { NULL, 0, NULL, 0 },
    };
    opterr = 0;
    int json = 0, opt;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (cli_global_option(g, opt, optarg)) continue;
        switch (opt) {
        case OPT_JSON: json = 1; break;
        case CLI_OPT_HELP: usage(stdout); return CLI_EXIT_OK;
        case CLI_OPT_VERSION: printf("sanctum %s\n", sanctum_version()); return CLI_EXIT_OK;
        default: return cli_option_error("show", opt, argc, argv);
        }
    }
    if (optind >= argc) {
        cli_error("show: missing entity id (e.g. ofac-sdn:43377)");
        return cli_usage_error("show");
    }
    if (argc - optind > 1) {
        cli_error("show: expected one entity id, got %d arguments", argc - optind);
        return cli_usage_error("show");
    }
    const char *id = argv[optind];
    sanctum_dataset *ds = cli_load(g, 1);
    if (!ds) return CLI_EXIT_ERROR;
    int rc = CLI_EXIT_OK;
    const sanctum_entity *e = sanctum_dataset_find(ds, id);
    if (!e) {
        if (strchr(id, ':'))
            cli_error("no entity with id '%s' in the loaded lists", id);
        else
            cli_error("no entity with id '%s': ids name the list and the key, e.g. ofac-sdn:%s", id,
                      *id ? id : "43377");
        rc = CLI_EXIT_ERROR;
    } else if (json) {
        char *text = sanctum_entity_json(e);
        if (text) {
            puts(text);
            sanctum_string_free(text);
        } else {
            cli_error("out of memory");
            rc = CLI_EXIT_ERROR;
        }
    } else {
        print_entity(e);
        print_listings(ds, e);
    }
    sanctum_dataset_free(ds);
    if (fflush(stdout) != 0) {
        cli_error("cannot write output");
        rc = CLI_EXIT_ERROR;
    }
    return rc;
}
