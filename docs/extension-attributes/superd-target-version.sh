#!/bin/sh
# Jamf Pro extension attribute "superd target version" (Data Type: String): the macOS version
# superd is installing, or "none".
# Works the same under /bin/sh, bash and zsh (Jamf Pro runs it as root by its #! line) and always
# prints exactly one <result> line. Reads superd's status file with plutil -extract … raw (macOS 12+).
# SUPERD_ROOT (tests only) prefixes every path, as in superd itself; it is unset on a real Mac.
ea_root="${SUPERD_ROOT:-}"
ea_status="$ea_root/Library/Management/superd/status.plist"
# One value of the status file on one line; empty when the file or the key is missing.
ea_read() {
	"$ea_root/usr/bin/plutil" -extract "$1" raw -o - "$ea_status" 2>/dev/null | tr '\r\n' '  ' | sed 's/ *$//'
}
ea_value=$(ea_read TargetVersion)
printf '<result>%s</result>\n' "${ea_value:-none}"
