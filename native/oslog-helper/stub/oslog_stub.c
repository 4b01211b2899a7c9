/*
 * A stand-in for the os_log functions of libSystem, for building superd-oslog on Linux so
 * that its line protocol is tested where macOS is absent. Each call prints one line on stdout:
 *   create <TAB> <subsystem> <TAB> <category>
 *   log <TAB> <type hex> <TAB> <category> <TAB> <format> <TAB> <buffer header> <TAB> <message>
 * The buffer header is what __builtin_os_log_format encoded ("02 01 22 08" for one public
 * string: summary, count, item descriptor, item size), then the string the item points to,
 * with \, LF, CR and TAB escaped so that one call stays one line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct os_log_s *os_log_t;
struct os_log_s { char category[64]; };

os_log_t os_log_create(const char *subsystem, const char *category) {
    os_log_t log = calloc(1, sizeof *log);
    if (!log) abort();
    snprintf(log->category, sizeof log->category, "%s", category);
    printf("create\t%s\t%s\n", subsystem, category);
    fflush(stdout);
    return log;
}

_Bool os_log_type_enabled(os_log_t log, unsigned char type) {
    (void)log;
    (void)type;
    return 1;
}

void _os_log_impl(void *dso, os_log_t log, unsigned char type, const char *format, unsigned char *buf, unsigned int size) {
    if (!dso || !log || size < 12) abort();
    const char *message;
    memcpy(&message, buf + 4, sizeof message);
    printf("log\t%02x\t%s\t%s\t%02x %02x %02x %02x\t", type, log->category, format, buf[0], buf[1], buf[2], buf[3]);
    for (const char *p = message; *p; p++) {
        switch (*p) {
        case '\\': fputs("\\\\", stdout); break;
        case '\n': fputs("\\n", stdout); break;
        case '\r': fputs("\\r", stdout); break;
        case '\t': fputs("\\t", stdout); break;
        default: putchar(*p);
        }
    }
    putchar('\n');
    fflush(stdout);
}
