#!/bin/sh
# Jamf Pro extension attribute: superd's state and what it is doing.
STATUS="/Library/Management/superd/status.plist"
if [ ! -f "$STATUS" ]; then
	echo "<result>not run yet</result>"
	exit 0
fi
state=$(/usr/libexec/PlistBuddy -c "Print :State" "$STATUS" 2>/dev/null)
text=$(/usr/libexec/PlistBuddy -c "Print :StateText" "$STATUS" 2>/dev/null)
echo "<result>${state:-unknown}${text:+: $text}</result>"
