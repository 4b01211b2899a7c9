#!/bin/sh
# Jamf Pro extension attribute: superd's last error (code: message) and the next attempt.
STATUS="/Library/Management/superd/status.plist"
code=$(/usr/libexec/PlistBuddy -c "Print :LastErrorCode" "$STATUS" 2>/dev/null)
message=$(/usr/libexec/PlistBuddy -c "Print :LastErrorMessage" "$STATUS" 2>/dev/null)
next=$(/usr/libexec/PlistBuddy -c "Print :NextAttempt" "$STATUS" 2>/dev/null)
if [ -z "$code" ]; then
	echo "<result>none</result>"
else
	echo "<result>$code: $message${next:+ (next attempt $next)}</result>"
fi
