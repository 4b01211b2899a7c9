#!/bin/sh
# Jamf Pro extension attribute: the saved authentication method (never a secret).
STATUS="/Library/Management/superd/status.plist"
method=$(/usr/libexec/PlistBuddy -c "Print :AuthMethod" "$STATUS" 2>/dev/null)
echo "<result>${method:-none}</result>"
