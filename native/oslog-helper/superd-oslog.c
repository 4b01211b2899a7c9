/*
 * superd-oslog: writes superd's log entries to the macOS unified log with subsystem
 * com.github.superd, so that `log stream --predicate 'subsystem == "com.github.superd"'`
 * shows them. superd starts it once and writes one entry a line to its standard input.
 *
 * Line protocol, version 1 (see native/oslog-helper/README.md):
 *   <type> TAB <category> TAB <message> LF
 *   type      default | info | debug | error | fault
 *   category  1-63 characters of a-z, 0-9 and '-' (one os_log_create per category, cached)
 *   message   the rest of the line, already redacted (logged as %{public}s); the escapes
 *             \\ \n \r \t stand for a backslash, LF, CR and TAB; any other backslash is kept.
 * A line over MAX_LINE bytes, or a malformed one (unknown type, bad category, missing TAB,
 * NUL byte), is skipped and an error entry in category "log" says so. A last line without LF
 * is dropped (a torn write). End of input: exit 0; a read error: exit 74; any argument: 64.
 * The program writes nothing to stdout or stderr and allocates nothing.
 */
#include "oslog_abi.h"

#define SUBSYSTEM "com.github.superd"
#define MAX_LINE 16384
#define MAX_CATEGORY 63
#define MAX_CATEGORIES 32

static struct { char name[MAX_CATEGORY + 1]; os_log_t log; } categories[MAX_CATEGORIES];
static int category_count;
static char line[MAX_LINE + 1];
static char input[16384];

static int same(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

/* The cached log object of a category; past MAX_CATEGORIES, the shared "other" category. */
static os_log_t log_for(const char *category) {
    static os_log_t other;
    for (int i = 0; i < category_count; i++)
        if (same(categories[i].name, category)) return categories[i].log;
    if (category_count == MAX_CATEGORIES) return other ? other : (other = os_log_create(SUBSYSTEM, "other"));
    int i = 0;
    for (; category[i]; i++) categories[category_count].name[i] = category[i];
    categories[category_count].name[i] = '\0';
    return categories[category_count++].log = os_log_create(SUBSYSTEM, category);
}

static void say(os_log_type_t type, const char *category, const char *message) {
    os_log_with_type(log_for(category), type, "%{public}s", message);
}

static int parse_type(const char *s, os_log_type_t *type) {
    static const struct { const char *name; os_log_type_t type; } types[] = {
        {"default", OS_LOG_TYPE_DEFAULT}, {"info", OS_LOG_TYPE_INFO}, {"debug", OS_LOG_TYPE_DEBUG},
        {"error", OS_LOG_TYPE_ERROR}, {"fault", OS_LOG_TYPE_FAULT},
    };
    for (unsigned i = 0; i < sizeof types / sizeof types[0]; i++)
        if (same(types[i].name, s)) return *type = types[i].type, 1;
    return 0;
}

static int valid_category(const char *s) {
    int n = 0;
    for (; s[n]; n++)
        if (n == MAX_CATEGORY || !((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '-')) return 0;
    return n > 0;
}

/* Undoes the message escapes in place (the result is never longer). */
static void unescape(char *s) {
    char *out = s;
    for (; *s; s++) {
        if (*s == '\\' && s[1]) {
            char c = s[1] == 'n' ? '\n' : s[1] == 'r' ? '\r' : s[1] == 't' ? '\t' : s[1] == '\\' ? '\\' : 0;
            if (c) { *out++ = c; s++; continue; }
        }
        *out++ = *s;
    }
    *out = '\0';
}

static void handle(char *text, size_t length) {
    os_log_type_t type;
    char *category = 0, *message = 0;
    for (size_t i = 0; i < length; i++) {
        if (text[i] == '\0') goto malformed;
        if (text[i] == '\t' && !message) {
            text[i] = '\0';
            if (!category) category = text + i + 1; else message = text + i + 1;
        }
    }
    text[length] = '\0';
    if (!message || !parse_type(text, &type) || !valid_category(category)) goto malformed;
    unescape(message);
    say(type, category, message);
    return;
malformed:
    say(OS_LOG_TYPE_ERROR, "log", "superd-oslog: skipped a malformed line");
}

int main(int argc, char **argv) {
    (void)argv;
    if (argc > 1) return 64;
    size_t length = 0;
    int overlong = 0;
    for (;;) {
        ssize_t n = read(0, input, sizeof input);
        if (n == 0) return 0;
        if (n < 0) {
            if (SUPERD_ERRNO == SUPERD_EINTR) continue;
            return 74;
        }
        for (ssize_t i = 0; i < n; i++) {
            char c = input[i];
            if (c == '\n') {
                if (overlong) say(OS_LOG_TYPE_ERROR, "log", "superd-oslog: skipped a line longer than 16384 bytes");
                else handle(line, length);
                length = 0;
                overlong = 0;
            } else if (length == MAX_LINE) {
                overlong = 1;
            } else if (!overlong) {
                line[length++] = c;
            }
        }
    }
}
