#!/bin/sh
# Jamf Pro extension attribute "superd state" (Data Type: String): superd's state (idle, running,
# deferred, waiting-restart, done, error) and what it is doing; "not run yet" without a status file.
# Works the same under /bin/sh, bash and zsh (Jamf Pro runs it as root by its #! line) and always
# prints exactly one <result> line. Reads superd's status file with plutil -extract … raw (macOS 12+).
# SUPERD_ROOT (tests only) prefixes every path, as in superd itself; it is unset on a real Mac.
ea_root="${SUPERD_ROOT:-}"
ea_status="$ea_root/Library/Management/superd/status.plist"
# One value of the status file on one line; empty when the file or the key is missing.
ea_read() {
	"$ea_root/usr/bin/plutil" -extract "$1" raw -o - "$ea_status" 2>/dev/null | tr '\r\n' '  ' | sed 's/ *$//'
}
if [ ! -f "$ea_status" ]; then
	printf '<result>%s</result>\n' 'not run yet'
	exit 0
fi
ea_state=$(ea_read State)
ea_text=$(ea_read StateText)
printf '<result>%s%s</result>\n' "${ea_state:-unknown}" "${ea_text:+: $ea_text}"
