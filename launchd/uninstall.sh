#!/bin/sh
# Removes superd: stops the daemon, optionally deletes every saved credential (and the service
# account superd created) while superd is still installed, then removes its files, and says
# what it left behind. Run as root.
#   uninstall.sh [--remove-credentials] [--keep-data]
# --auth-delete-all is accepted as another name for --remove-credentials.
# SUPERD_ROOT (tests only) prefixes every path and command; empty on a real Mac.
ROOT="${SUPERD_ROOT:-}"
LABEL="com.github.superd"
HOME_DIR="/Library/Management/superd"
LAUNCHCTL="$ROOT/bin/launchctl"
SLEEP="$ROOT/bin/sleep"
BOOTOUT_POLLS=30
REMOVE_CREDENTIALS=0
KEEP_DATA=0
STATUS=0

for arg in "$@"; do
	case "$arg" in
		--remove-credentials | --auth-delete-all) REMOVE_CREDENTIALS=1 ;;
		--keep-data) KEEP_DATA=1 ;;
		*)
			echo "uninstall.sh: unknown option $arg (expected --remove-credentials or --keep-data)" >&2
			exit 64
			;;
	esac
done

loaded() { "$LAUNCHCTL" print "system/$LABEL" >/dev/null 2>&1; }

if loaded; then
	"$LAUNCHCTL" bootout "system/$LABEL" || echo "uninstall: launchctl bootout system/$LABEL failed" >&2
	polls=0
	while loaded && [ "$polls" -lt "$BOOTOUT_POLLS" ]; do
		polls=$((polls + 1))
		"$SLEEP" 1
	done
	if loaded; then
		echo "uninstall: the superd daemon did not stop within $BOOTOUT_POLLS s; it stops at the next restart." >&2
		STATUS=1
	fi
fi

# Credentials go first: superd deletes its own keychain items and service account, so this
# must run while its binaries are still here.
CREDENTIALS_LEFT=1
if [ "$REMOVE_CREDENTIALS" -eq 1 ]; then
	if "$ROOT/usr/local/bin/superd" --auth-delete-all; then
		CREDENTIALS_LEFT=0
	else
		echo "uninstall: superd --auth-delete-all failed; credentials may remain in the System keychain" >&2
		STATUS=1
	fi
fi

rm -f "$ROOT/Library/LaunchDaemons/$LABEL.plist" "$ROOT/usr/local/bin/superd"
rm -rf "$ROOT$HOME_DIR/app" "$ROOT$HOME_DIR/node" "$ROOT$HOME_DIR/uninstall.sh"
if [ "$KEEP_DATA" -eq 0 ]; then
	rm -rf "$ROOT$HOME_DIR"
fi
if [ -z "$ROOT" ]; then
	pkgutil --forget "$LABEL" >/dev/null 2>&1 || true
fi

echo "superd removed."
if [ "$CREDENTIALS_LEFT" -eq 1 ]; then
	echo "Left: saved credentials in the System keychain (service superd, accounts superd_auth_*) and any service account superd created; next time run this script with --remove-credentials while superd is installed, or delete each item with: security delete-generic-password -s superd -a superd_auth_FIELD /Library/Keychains/System.keychain"
fi
if [ "$KEEP_DATA" -eq 1 ]; then
	echo "Left: $HOME_DIR (saved settings, status plist, logs/superd.log)."
fi
echo "Left: superd's lines in the unified log, and a Managed Login Items or configuration profile (com.github.superd) if you deployed one: remove it in Jamf Pro."
exit "$STATUS"
