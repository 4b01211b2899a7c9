#!/bin/sh
# Jamf Pro policy script "superd: receive API client secret" (docs/fleet-rotation.md).
# superd jamf-client rotate-secret --fleet writes these script parameters; leave them empty when
# creating the policy:
#   $4  slot: primary or secondary
#   $5  API client id
#   $6  API client secret (Jamf Pro keeps it in the policy; the policy's logs are flushed after
#       each rotation so that every Mac runs this script again)
# The secret reaches superd on standard input (printf is a shell builtin: no process of its own,
# so the secret is in no other process's argv), never as an argument; superd checks it with
# Jamf Pro before saving it in the System keychain. Nothing here prints the secret.
# Jamf Pro passes $1 (mount point), $2 (computer name), $3 (user name) first.
# SUPERD_ROOT (tests only) prefixes the path of superd, as in superd itself; unset on a real Mac.
superd_bin="${SUPERD_ROOT:-}/usr/local/bin/superd"
slot="$4"
client_id="$5"
if [ -z "$slot" ] || [ -z "$client_id" ] || [ -z "$6" ]; then
	echo "superd: no API client in this policy's parameters yet (4: slot, 5: client id, 6: secret); nothing to do."
	exit 0
fi
if [ ! -x "$superd_bin" ]; then
	echo "superd: $superd_bin is not installed; the API client secret was not saved." >&2
	exit 1
fi
printf '%s\n' "$6" | "$superd_bin" jamf-client save --slot="$slot" --client-id="$client_id"
