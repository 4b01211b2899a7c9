#!/bin/sh
# Removes superd: stops the daemon, optionally deletes every saved credential (and the service
# account superd created), then removes its files. Run as root.
#   uninstall.sh [--auth-delete-all] [--keep-data]
# SUPERD_ROOT (tests only) prefixes every path; empty on a real Mac.
ROOT="${SUPERD_ROOT:-}"
LABEL="com.github.superd"
HOME_DIR="/Library/Management/superd"
DELETE_CREDENTIALS=0
KEEP_DATA=0

for arg in "$@"; do
	case "$arg" in
		--auth-delete-all) DELETE_CREDENTIALS=1 ;;
		--keep-data) KEEP_DATA=1 ;;
		*) echo "uninstall.sh: unknown option $arg (expected --auth-delete-all or --keep-data)" >&2; exit 64 ;;
	esac
done

if "$ROOT/bin/launchctl" print "system/$LABEL" >/dev/null 2>&1; then
	"$ROOT/bin/launchctl" bootout "system/$LABEL" || echo "uninstall: could not boot out $LABEL" >&2
fi

if [ "$DELETE_CREDENTIALS" -eq 1 ]; then
	if ! "$ROOT/usr/local/bin/superd" --auth-delete-all; then
		echo "uninstall: superd --auth-delete-all failed; credentials may remain in the System keychain" >&2
	fi
fi

rm -f "$ROOT/Library/LaunchDaemons/$LABEL.plist" "$ROOT/usr/local/bin/superd"
rm -rf "$ROOT$HOME_DIR/app" "$ROOT$HOME_DIR/node"
if [ "$KEEP_DATA" -eq 0 ]; then
	rm -rf "$ROOT$HOME_DIR"
fi
if [ -z "$ROOT" ]; then
	pkgutil --forget "$LABEL" >/dev/null 2>&1 || true
fi
echo "superd removed"
exit 0
