#!/bin/sh
# Jamf Pro extension attribute: the last credential heartbeat (status and date).
STATUS="/Library/Management/superd/status.plist"
status=$(/usr/libexec/PlistBuddy -c "Print :HeartbeatStatus" "$STATUS" 2>/dev/null)
date=$(/usr/libexec/PlistBuddy -c "Print :HeartbeatDate" "$STATUS" 2>/dev/null)
echo "<result>${status:-never}${date:+ at $date}</result>"
