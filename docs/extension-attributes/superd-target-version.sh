#!/bin/sh
# Jamf Pro extension attribute: the macOS version superd is installing.
STATUS="/Library/Management/superd/status.plist"
target=$(/usr/libexec/PlistBuddy -c "Print :TargetVersion" "$STATUS" 2>/dev/null)
echo "<result>${target:-none}</result>"
