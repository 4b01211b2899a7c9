#!/bin/sh
# superd-jamf-policy.sh: upload to Jamf Pro (Settings > Computer Management > Scripts) and add
# to a policy. It saves the policy's options (and a credential, if given) with superd, hands
# the update workflow to the superd daemon and returns: the policy does not wait for an update.
#
# Jamf Pro passes $1 the mount point "/", $2 the computer name, $3 the user name, then $4–$11
# the parameters you set in the policy, one superd option each (empty ones are skipped), e.g.
#   $4 --auth-jamf-client=0f1e…   $5 --auth-jamf-secret=…   $6 --deferral-timer-default=60
# A secret option (--auth-*-password=, --auth-jamf-secret=) is never passed to superd as an
# argument: the script passes it as --OPTION=- and writes the value to superd's standard input
# with the shell's built-in printf, so no process argument ever holds it.
# SUPERD_ROOT (tests only) prefixes every path and command; empty on a real Mac.
ROOT="${SUPERD_ROOT:-}"
SUPERD="$ROOT/usr/local/bin/superd"
LAUNCHCTL="$ROOT/bin/launchctl"
LABEL="com.github.superd"
NL='
'

say() { echo "superd policy: $*"; }
refuse() {
	echo "superd policy: $*" >&2
	exit 64
}

[ -x "$SUPERD" ] || {
	echo "superd policy: $SUPERD is missing: install the superd package first." >&2
	exit 69
}

COMPUTER="${2:-}"
USER_NAME="${3:-}"
if [ "$#" -ge 3 ]; then shift 3; else set --; fi

# Rebuild the parameters in place: each is taken from the front and, unless empty, put back at
# the end, with a secret's value replaced by "-" and queued for standard input in order.
secrets=""
seen=" "
shown=""
count=$#
i=0
while [ "$i" -lt "$count" ]; do
	i=$((i + 1))
	arg="$1"
	shift
	case "$arg" in
		"" | *[!\ ]*) ;;
		*) arg="" ;; # only spaces: an unset Jamf parameter
	esac
	[ -n "$arg" ] || continue
	case "$arg" in
		--auth-local-password=* | --auth-service-add-via-admin-password=* | --auth-service-password=* | \
			--auth-jamf-secret=* | --auth-jamf-password=*)
			name="${arg%%=*}"
			value="${arg#*=}"
			case "$seen" in *" $name "*) refuse "$name is given twice; give each secret once." ;; esac
			case "$value" in
				"" | "-") refuse "$name needs its value in the policy parameter ($name=VALUE)." ;;
				*"$NL"*) refuse "$name: a secret cannot contain a line break." ;;
			esac
			seen="$seen$name "
			secrets="$secrets$value$NL"
			set -- "$@" "$name=-"
			shown="$shown $name=(on standard input)"
			;;
		*)
			set -- "$@" "$arg"
			shown="$shown $arg"
			;;
	esac
done

say "Jamf Pro policy on ${COMPUTER:-this Mac} (user: ${USER_NAME:-none}); options:${shown:- none}"
daemon_loaded=1
if ! "$LAUNCHCTL" print "system/$LABEL" >/dev/null 2>&1; then
	daemon_loaded=0
	say "warning: the superd daemon is not loaded, so superd runs the update workflow in this policy. Reinstall superd to have the daemon take it over."
fi

# "/" tells superd that a Jamf Pro policy called it: it saves, then hands the run to the daemon.
printf '%s' "$secrets" | "$SUPERD" run / "$COMPUTER" "$USER_NAME" "$@"
status=$?
if [ "$status" -eq 0 ] && [ "$daemon_loaded" -eq 1 ]; then
	say "handed off to the superd daemon (launchctl kickstart system/$LABEL); follow it with: superd status"
elif [ "$status" -ne 0 ]; then
	say "superd exited with status $status; nothing was handed off (see the message above and superd status)."
fi
exit "$status"
