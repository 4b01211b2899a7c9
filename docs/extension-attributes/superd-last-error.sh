#!/bin/sh
# Jamf Pro extension attribute "superd last error" (Data Type: String): "CODE: message", with the
# next attempt (UTC) when one is scheduled, or "none".
# Works the same under /bin/sh, bash and zsh (Jamf Pro runs it as root by its #! line) and always
# prints exactly one <result> line. Reads superd's status file with plutil -extract … raw (macOS 12+).
# SUPERD_ROOT (tests only) prefixes every path, as in superd itself; it is unset on a real Mac.
ea_root="${SUPERD_ROOT:-}"
ea_status="$ea_root/Library/Management/superd/status.plist"
# One value of the status file on one line; empty when the file or the key is missing.
ea_read() {
	"$ea_root/usr/bin/plutil" -extract "$1" raw -o - "$ea_status" 2>/dev/null | tr '\r\n' '  ' | sed 's/ *$//'
}
# A date of the status file as Jamf Pro's EA date format, YYYY-MM-DD hh:mm:ss (UTC); empty
# unless plutil printed the ISO 8601 form it documents (2026-12-03T19:20:36Z).
ea_date() {
	ea_read "$1" | sed -n 's/^\([0-9]\{4\}-[0-9][0-9]-[0-9][0-9]\)T\([0-9][0-9]:[0-9][0-9]:[0-9][0-9]\)Z$/\1 \2/p'
}
ea_code=$(ea_read LastErrorCode)
ea_message=$(ea_read LastErrorMessage)
ea_next=$(ea_date NextAttempt)
if [ -z "$ea_code" ]; then
	printf '<result>%s</result>\n' 'none'
else
	printf '<result>%s: %s%s</result>\n' "$ea_code" "$ea_message" "${ea_next:+ (next attempt $ea_next UTC)}"
fi
