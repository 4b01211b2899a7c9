#!/bin/sh
# Jamf Pro extension attribute "superd jamf client" (Data Type: String): the Jamf Pro API client
# superd last authenticated with and the result of its last check, "client <id> OK" (the last
# heartbeat, or the last saved secret, succeeded), "client <id> <HeartbeatStatus>" otherwise, or
# "none" (no API client has worked on this Mac yet). superd jamf-client rotate-secret --fleet reads
# it to learn which client the fleet relies on (docs/fleet-rotation.md). Never a secret.
# Works the same under /bin/sh, bash and zsh (Jamf Pro runs it as root by its #! line) and always
# prints exactly one <result> line. Reads superd's status file with plutil -extract … raw (macOS 12+).
# SUPERD_ROOT (tests only) prefixes every path, as in superd itself; it is unset on a real Mac.
ea_root="${SUPERD_ROOT:-}"
ea_status="$ea_root/Library/Management/superd/status.plist"
# One value of the status file on one line; empty when the file or the key is missing.
ea_read() {
	"$ea_root/usr/bin/plutil" -extract "$1" raw -o - "$ea_status" 2>/dev/null | tr '\r\n' '  ' | sed 's/ *$//'
}
ea_client=$(ea_read JamfClientInUse)
ea_check=$(ea_read HeartbeatStatus)
if [ -z "$ea_client" ]; then
	printf '<result>none</result>\n'
elif [ "$ea_check" = "Success" ]; then
	printf '<result>client %s OK</result>\n' "$ea_client"
else
	printf '<result>client %s %s</result>\n' "$ea_client" "${ea_check:-unknown}"
fi
