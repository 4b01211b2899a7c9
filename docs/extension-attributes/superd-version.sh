#!/bin/sh
# Jamf Pro extension attribute "superd version" (Data Type: String): the version of the installed
# superd, as `superd --version` reports it ("superd 0.1.0" → 0.1.0): the code that really runs,
# whichever way it was installed. "not installed" without /usr/local/bin/superd; "unknown" when it
# does not answer in that form.
# Works the same under /bin/sh, bash and zsh and always prints exactly one <result> line.
# SUPERD_ROOT (tests only) prefixes every path, as in superd itself; it is unset on a real Mac.
ea_root="${SUPERD_ROOT:-}"
ea_superd="$ea_root/usr/local/bin/superd"
if [ ! -x "$ea_superd" ]; then
	printf '<result>%s</result>\n' 'not installed'
	exit 0
fi
ea_version=$("$ea_superd" --version 2>/dev/null | sed -n 's/^superd \([0-9][0-9A-Za-z.+-]*\)$/\1/p' | head -n 1)
printf '<result>%s</result>\n' "${ea_version:-unknown}"
