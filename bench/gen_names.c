/*
 * gen_names.c - writes realistic screening input of any size as JSON Lines
 * (see namegen.h for what the names are).
 *
 *   gen_names COUNT [LISTED_RATE] [SEED] > input.jsonl
 *
 * LISTED_RATE defaults to 0.001 (one listed name in a thousand); SEED to 1.
 * The output is the same for the same arguments and data.
 */
#include <stdlib.h>

#include "namegen.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gen_names COUNT [LISTED_RATE] [SEED] > input.jsonl\n");
        return 2;
    }
    unsigned long long count = strtoull(argv[1], NULL, 10);
    double rate = argc > 2 ? atof(argv[2]) : 0.001;
    rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    if (sanctum_dataset_load(&ds, NULL, &err) != 0) {
        char buf[800];
        sanctum_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "gen_names: %s\n", buf);
        return 2;
    }
    for (unsigned long long i = 0; i < count; i++) namegen_record(stdout, ds, rate, i);
    sanctum_dataset_free(ds);
    return 0;
}
