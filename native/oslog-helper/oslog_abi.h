/*
 * The few declarations superd-oslog.c needs, written by hand: there is no macOS SDK on the
 * machines that build it (Debian clang + ld64.lld). Nothing else is included, so the same
 * source also builds on Linux against stub/oslog_stub.c for the protocol tests.
 *
 * The os_log ABI follows Apple's headers (macOS SDK <os/log.h> and <os/trace_base.h>; the
 * same declarations are in darlinghq/darling platform-include/os/log.h):
 *   - os_log_type_t is a uint8_t: DEFAULT 0x00, INFO 0x01, DEBUG 0x02, ERROR 0x10, FAULT 0x11.
 *   - os_log_t os_log_create(const char *subsystem, const char *category);
 *   - bool os_log_type_enabled(os_log_t, os_log_type_t);
 *   - void _os_log_impl(void *dso, os_log_t, os_log_type_t, const char *format,
 *                       uint8_t *buf, uint32_t size);
 *   - os_log_with_type(log, type, fmt, ...) checks os_log_type_enabled, then calls
 *     _os_log_impl(&__dso_handle, log, type, fmt, buf, sizeof buf) where fmt is a constant in
 *     section __TEXT,__oslogstring and buf is filled by clang's __builtin_os_log_format
 *     (OS_LOG_CALL_WITH_FORMAT in <os/trace_base.h>). The builtin encodes the arguments
 *     exactly as the SDK build does (for "%{public}s": summary byte 0x02 "has non-scalar
 *     items", count 1, item descriptor 0x22 = string|public, size 8, then the pointer), so
 *     the encoding is the compiler's, not ours. __dso_handle is the image's own mach_header,
 *     which the linker defines.
 */
#ifndef SUPERD_OSLOG_ABI_H
#define SUPERD_OSLOG_ABI_H

#if !__has_builtin(__builtin_os_log_format)
#error "superd-oslog needs clang (__builtin_os_log_format)"
#endif

typedef __SIZE_TYPE__ size_t;
typedef long ssize_t;
typedef unsigned char uint8_t;
typedef unsigned int uint32_t;

typedef struct os_log_s *os_log_t;
typedef uint8_t os_log_type_t;
#define OS_LOG_TYPE_DEFAULT ((os_log_type_t)0x00)
#define OS_LOG_TYPE_INFO ((os_log_type_t)0x01)
#define OS_LOG_TYPE_DEBUG ((os_log_type_t)0x02)
#define OS_LOG_TYPE_ERROR ((os_log_type_t)0x10)
#define OS_LOG_TYPE_FAULT ((os_log_type_t)0x11)

os_log_t os_log_create(const char *subsystem, const char *category);
_Bool os_log_type_enabled(os_log_t log, os_log_type_t type);
/* OS_NOT_TAIL_CALLED in Apple's header: the log records its caller's address. */
__attribute__((not_tail_called)) void _os_log_impl(void *dso, os_log_t log, os_log_type_t type, const char *format, uint8_t *buf, uint32_t size);
extern struct mach_header __dso_handle;

/* Apple's header adds the section type cstring_literals; ld64.lld 14 then merges the string into
 * __TEXT,__cstring. Without it the linker keeps __TEXT,__oslogstring, as Apple's ld64 does. */
#ifdef __APPLE__
#define SUPERD_OSLOG_STRING_SECTION __attribute__((section("__TEXT,__oslogstring")))
#else
#define SUPERD_OSLOG_STRING_SECTION
#endif

/* Apple's os_log_with_type for one format and its arguments (see the header comment). */
#define os_log_with_type(log, type, fmt, ...) __extension__({ \
    os_log_t _log_tmp = (log); \
    os_log_type_t _type_tmp = (type); \
    if (os_log_type_enabled(_log_tmp, _type_tmp)) { \
        SUPERD_OSLOG_STRING_SECTION static const char _os_fmt_str[] = fmt; \
        _Pragma("clang diagnostic push") _Pragma("clang diagnostic ignored \"-Wvla\"") \
        uint8_t _Alignas(16) _os_fmt_buf[__builtin_os_log_format_buffer_size(fmt, ##__VA_ARGS__)]; \
        _os_log_impl((void *)&__dso_handle, _log_tmp, _type_tmp, _os_fmt_str, \
                (uint8_t *)__builtin_os_log_format(_os_fmt_buf, fmt, ##__VA_ARGS__), \
                (uint32_t)sizeof(_os_fmt_buf)); \
        _Pragma("clang diagnostic pop") \
    } \
})

/* libSystem (libc) */
ssize_t read(int fd, void *buf, size_t count);
#ifdef __APPLE__
int *__error(void);
#define SUPERD_ERRNO (*__error())
#else
int *__errno_location(void);
#define SUPERD_ERRNO (*__errno_location())
#endif
#define SUPERD_EINTR 4 /* EINTR is 4 on macOS (<sys/errno.h>) and on Linux */

#endif
