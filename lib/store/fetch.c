/*
 * fetch.c - downloading list files with libcurl into the folder layout the
 * loaders read.
 *
 * Each address is fetched to a temporary name in its target folder and
 * renamed into place only when the transfer finished cleanly: status 200,
 * every announced byte received, within the time limit and the size cap.
 * Only http and https are followed, redirects included. Nothing here judges
 * the content: the caller validates the folder by loading it.
 */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sanctum/store.h"
#include "util/error.h"

static const char *const default_urls[] = {
    "https://www.treasury.gov/ofac/downloads/sdn.csv",
    "https://www.treasury.gov/ofac/downloads/alt.csv",
    "https://www.treasury.gov/ofac/downloads/add.csv",
    "https://www.treasury.gov/ofac/downloads/sdn_comments.csv",
    "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
    NULL,
};

const char *const *sanctum_fetch_default_urls(void) { return default_urls; }

/* Where a file name belongs: "sdn.csv" -> "ofac-sdn/sdn.csv". */
static const struct { const char *file, *folder; } places[] = {
    { "sdn.csv", "ofac-sdn" },
    { "alt.csv", "ofac-sdn" },
    { "add.csv", "ofac-sdn" },
    { "sdn_comments.csv", "ofac-sdn" },
    { "consolidated.xml", "un-sc" },
};

typedef struct sink {
    FILE *f;
    unsigned long long got, max;
    int over;
} sink;

static size_t on_data(char *p, size_t size, size_t n, void *user)
{
    sink *s = user;
    size_t len = size * n;
    if (s->got + len > s->max) {
        s->over = 1;
        return 0;  /* stops the transfer */
    }
    if (fwrite(p, 1, len, s->f) != len) return 0;
    s->got += len;
    return len;
}

/* Splits "PATH=URL" or derives PATH from the URL's last segment. */
static int target_of(const char *spec, char *rel, size_t relsz, const char **url, sanctum_error *err)
{
    const char *eq = strstr(spec, "=http");
    if (eq && eq != spec) {
        size_t n = (size_t)(eq - spec);
        if (n >= relsz) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "target path too long in '%s'", spec);
        memcpy(rel, spec, n);
        rel[n] = '\0';
        *url = eq + 1;
        if (rel[0] == '/' || strstr(rel, "..") || !strchr(rel, '/') || strchr(strchr(rel, '/') + 1, '/'))
            return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0,
                                     "target '%s' must be FOLDER/FILE, e.g. un-sc/consolidated.xml", rel);
        return 0;
    }
    *url = spec;
    const char *end = spec + strcspn(spec, "?#");
    const char *start = end;
    while (start > spec && start[-1] != '/') start--;
    size_t n = (size_t)(end - start);
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        if (strlen(places[i].file) == n && strncasecmp(places[i].file, start, n) == 0) {
            snprintf(rel, relsz, "%s/%s", places[i].folder, places[i].file);
            return 0;
        }
    }
    return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0,
                             "cannot tell which list %s belongs to; write it as FOLDER/FILE=URL "
                             "(e.g. ofac-sdn/sdn.csv=URL)", spec);
}

static int fetch_one(CURL *c, const char *url, const char *dir, const char *rel, const sanctum_fetch_options *o,
                     sanctum_error *err)
{
    char path[PATH_MAX], tmp[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", dir, rel) >= (int)sizeof path ||
        snprintf(tmp, sizeof tmp, "%s.part", path) >= (int)sizeof tmp)
        return sanctum_error_set(err, SANCTUM_ELIMIT, dir, 0, "path too long");
    char folder[PATH_MAX];
    snprintf(folder, sizeof folder, "%s", path);
    *strrchr(folder, '/') = '\0';
    if (mkdir(folder, 0700) != 0 && errno != EEXIST)
        return sanctum_error_set(err, SANCTUM_EIO, folder, 0, "cannot create folder: %s", strerror(errno));
    sink s = { fopen(tmp, "wb"), 0, o->max_size, 0 };
    if (!s.f) return sanctum_error_set(err, SANCTUM_EIO, tmp, 0, "cannot create: %s", strerror(errno));
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_size);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "sanctum/" "update");
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    CURLcode cr = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    int rc = 0;
    if (fclose(s.f) != 0 && cr == CURLE_OK)
        rc = sanctum_error_set(err, SANCTUM_EIO, tmp, 0, "cannot write: %s", strerror(errno));
    if (rc == 0 && (s.over || cr == CURLE_FILESIZE_EXCEEDED))
        rc = sanctum_error_set(err, SANCTUM_ELIMIT, url, 0, "download is larger than %llu bytes", o->max_size);
    else if (rc == 0 && cr == CURLE_PARTIAL_FILE)
        rc = sanctum_error_set(err, SANCTUM_EIO, url, 0, "the connection ended after %llu bytes, before the whole file arrived",
                               s.got);
    else if (rc == 0 && cr == CURLE_OPERATION_TIMEDOUT)
        rc = sanctum_error_set(err, SANCTUM_EIO, url, 0, "timed out: %s", errbuf[0] ? errbuf : curl_easy_strerror(cr));
    else if (rc == 0 && cr != CURLE_OK)
        rc = sanctum_error_set(err, SANCTUM_EIO, url, 0, "download failed: %s", errbuf[0] ? errbuf : curl_easy_strerror(cr));
    else if (rc == 0 && status != 200)
        rc = sanctum_error_set(err, SANCTUM_EIO, url, 0, "the server answered HTTP %ld, not 200", status);
    else if (rc == 0 && s.got == 0)
        rc = sanctum_error_set(err, SANCTUM_EIO, url, 0, "the server sent an empty file");
    if (rc == 0 && rename(tmp, path) != 0)
        rc = sanctum_error_set(err, SANCTUM_EIO, path, 0, "cannot create: %s", strerror(errno));
    if (rc != 0) unlink(tmp);
    return rc;
}

int sanctum_fetch(const char *const *urls, size_t n, const char *dir, const sanctum_fetch_options *opts,
                  sanctum_error *err)
{
    sanctum_fetch_options o = SANCTUM_FETCH_OPTIONS_INIT;
    if (opts) o = *opts;
    if (o.timeout <= 0) o.timeout = 600;
    if (o.connect_timeout <= 0) o.connect_timeout = 30;
    if (o.max_size == 0) o.max_size = 512ULL * 1024 * 1024;
    if (n == 0) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no address to download");
    /* every address must map to a place before anything is fetched */
    for (size_t i = 0; i < n; i++) {
        char rel[256];
        const char *url;
        int rc = target_of(urls[i], rel, sizeof rel, &url, err);
        if (rc != 0) return rc;
        for (size_t j = 0; j < i; j++) {
            char rel2[256];
            const char *u2;
            target_of(urls[j], rel2, sizeof rel2, &u2, NULL);
            if (strcmp(rel, rel2) == 0)
                return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "two addresses would both give %s", rel);
        }
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return sanctum_error_set(err, SANCTUM_EINTERNAL, NULL, 0, "cannot initialise libcurl");
    CURL *c = curl_easy_init();
    int rc = c ? 0 : sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "cannot create a download handle");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char rel[256];
        const char *url;
        rc = target_of(urls[i], rel, sizeof rel, &url, err);
        if (rc == 0) rc = fetch_one(c, url, dir, rel, &o, err);
    }
    curl_easy_cleanup(c);
    curl_global_cleanup();
    return rc;
}
