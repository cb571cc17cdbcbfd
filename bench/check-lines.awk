# Check the lines that arrived: every line the writers wrote must be
# there once, whole, and in order for its writer.
#
# A writer's line is "@@ ID SEQ xxx...x" (ID 7 digits, SEQ 9, 78 x), 99
# bytes before the newline; whatever a process manager puts before it
# (time, name, bar) is skipped. A line holding "@@" that is not exactly
# one such line is torn.
#
# awk -v writers=K -v lines=N -f check-lines.awk FILE...
# prints "lines=L torn=T lost=S disorder=D writers=W" and exits 1 when
# anything is wrong.

BEGIN {
	pad = sprintf("%78s", "")
	gsub(/ /, "x", pad)
}

{
	at = index($0, "@@ ")
	if (at == 0)
		next
	s = substr($0, at)
	id = substr(s, 4, 7)
	seq = substr(s, 12, 9)
	if (length(s) != 99 || substr(s, 21) != " " pad ||
	    substr(s, 11, 1) != " " || id !~ /^[0-9]+$/ ||
	    seq !~ /^[0-9]+$/) {
		torn++
		next
	}
	if (!(id in last)) {
		last[id] = 0
		nid++
	}
	if (seq + 0 != last[id] + 1)
		disorder++
	last[id] = seq + 0
	got++
}

END {
	lost = 0
	for (id in last)
		if (last[id] < lines)
			lost += lines - last[id]
	if (nid < writers)
		lost += (writers - nid) * lines
	printf "lines=%d torn=%d lost=%d disorder=%d writers=%d\n",
	    got, torn, lost, disorder, nid
	exit (got == writers * lines && torn == 0 && lost == 0 &&
	    disorder == 0 && nid == writers) ? 0 : 1
}
