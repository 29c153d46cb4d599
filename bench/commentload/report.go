package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// report is one run's outcome, as printed and as appended to -result.
type report struct {
	engine           string
	readers          int
	seconds          float64
	accepted, stored int
	equal            bool
	missing, unacked int // accepted but not stored; stored but never answered 201
	rate             float64
	windows          string // accepted/s in successive windows of the run
	p50, p99, max    time.Duration
	visN, notVisible int
	retried          int
	visP50, visP99   time.Duration
	visMax           time.Duration
	held, storedHeld int
	refused          map[string]int
	transport        int
	firstErr         string
	serverUS, selfUS float64 // CPU µs per accepted comment; -1 unknown
	busyPct          float64 // share of all cores busy during the run; -1 unknown
	cores            int
	budgetRate       bool // >= 1,000 accepted comments/s
	budgetVisible    bool // every probed comment visible within 1 s
}

func newReport(o options, res loadResult, st storedComments) report {
	r := report{engine: o.engine, readers: o.readers, seconds: res.elapsed.Seconds(), accepted: len(res.accepted),
		stored: len(st.ids), held: res.held, storedHeld: st.byStatus["held"], refused: res.refused,
		transport: res.transport, firstErr: res.firstErr, visN: len(res.visible), notVisible: res.notVisible,
		retried: res.retried, serverUS: -1, selfUS: -1, busyPct: -1, cores: runtime.NumCPU()}
	ids := make(map[int64]bool, len(res.accepted))
	for _, id := range res.accepted {
		ids[id] = true
		if !st.ids[id] {
			r.missing++
		}
	}
	for id := range st.ids {
		if !ids[id] {
			r.unacked++
		}
	}
	r.equal = r.accepted == r.stored && r.missing == 0 && r.unacked == 0
	if r.seconds > 0 {
		r.rate = float64(r.accepted) / r.seconds
	}
	r.windows = windowRates(res.perSecond, res.elapsed)
	r.p50, r.p99, r.max = percentiles(res.latencies)
	r.visP50, r.visP99, r.visMax = percentiles(res.visible)
	r.budgetRate = r.rate >= 1000
	r.budgetVisible = r.visN > 0 && r.notVisible == 0 && r.visMax <= time.Second
	if n := r.accepted; n > 0 {
		if res.cpu.server >= 0 {
			r.serverUS = float64(res.cpu.server.Microseconds()) / float64(n)
		}
		if res.cpu.self >= 0 {
			r.selfUS = float64(res.cpu.self.Microseconds()) / float64(n)
		}
	}
	if res.cpu.busy >= 0 {
		r.busyPct = res.cpu.busy * 100
	}
	return r
}

// windowRates writes the accepted comments per second in about six
// successive windows of the run, to show whether the rate holds up as
// the comments table grows.
func windowRates(perSecond []int64, elapsed time.Duration) string {
	secs := min(len(perSecond), int(elapsed/time.Second))
	if secs == 0 {
		return "-"
	}
	size := max(1, (secs+5)/6)
	var parts []string
	for from := 0; from+size <= secs; from += size {
		var n int64
		for _, v := range perSecond[from : from+size] {
			n += v
		}
		parts = append(parts, fmt.Sprintf("%ds–%ds %d", from, from+size, n/int64(size)))
	}
	return strings.Join(parts, ", ")
}

// percentiles returns the median, the 99th percentile and the maximum.
func percentiles(d []time.Duration) (p50, p99, high time.Duration) {
	if len(d) == 0 {
		return 0, 0, 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	at := func(q float64) time.Duration {
		i := int(q*float64(len(s))+0.999999) - 1
		return s[max(0, min(i, len(s)-1))]
	}
	return at(0.50), at(0.99), s[len(s)-1]
}

func msText(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "NO"
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

// unknown prints a negative measurement as "?".
func unknown(v float64, format string) string {
	if v < 0 {
		return "?"
	}
	return fmt.Sprintf(format, v)
}

func (r report) print(w io.Writer) {
	fmt.Fprintf(w, "%-9s %7s %7s %9s %9s %5s %10s %8s %8s %8s\n",
		"engine", "readers", "seconds", "accepted", "stored", "equal", "comments/s", "p50_ms", "p99_ms", "max_ms")
	fmt.Fprintf(w, "%-9s %7d %7.1f %9d %9d %5s %10.0f %8s %8s %8s\n",
		r.engine, r.readers, r.seconds, r.accepted, r.stored, yesNo(r.equal), r.rate, msText(r.p50), msText(r.p99), msText(r.max))
	if !r.equal {
		fmt.Fprintf(w, "  LOST OR UNACKNOWLEDGED: %d accepted comments are not stored; %d stored comments were never answered 201\n",
			r.missing, r.unacked)
	}
	fmt.Fprintf(w, "  accepted/s over the run: %s\n", r.windows)
	fmt.Fprintf(w, "  visible to an anonymous reader after the 201 (%d probes): p50 %s ms, p99 %s ms, max %s ms; "+
		"%d not on the list at the first look, %d not within %s\n",
		r.visN, msText(r.visP50), msText(r.visP99), msText(r.visMax), r.retried, r.notVisible, probeLimit)
	fmt.Fprintf(w, "  held for a moderator: %d (stored as held: %d); refused: %s; transport errors: %d\n",
		r.held, r.storedHeld, refusedText(r.refused), r.transport)
	if r.firstErr != "" {
		fmt.Fprintf(w, "  first failure: %s\n", r.firstErr)
	}
	fmt.Fprintf(w, "  CPU per accepted comment: server %s µs, load client %s µs; all %d cores %s%% busy during the run\n",
		unknown(r.serverUS, "%.0f"), unknown(r.selfUS, "%.0f"), r.cores, unknown(r.busyPct, "%.0f"))
	fmt.Fprintf(w, "  budget (PRODUCT.md): >= 1,000 accepted/s on SQLite: %s (%.0f/s); none lost: %s; each visible within 1 s: %s (max %s ms)\n",
		rateVerdict(r), r.rate, verdict(r.equal), verdict(r.budgetVisible), msText(r.visMax))
}

// rateVerdict judges the rate; the budget is set for SQLite only.
func rateVerdict(r report) string {
	if r.engine != "sqlite" {
		return "n/a on " + r.engine
	}
	return verdict(r.budgetRate)
}

func refusedText(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%d × %s", v, k))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

// resultColumns name the fields of a -result line, in order.
const resultColumns = "engine\treaders\tseconds\taccepted\tstored\tequal\tcomments_s\tp50_ms\tp99_ms\tmax_ms\t" +
	"vis_p50_ms\tvis_p99_ms\tvis_max_ms\tvis_probes\tnot_visible\trefused\ttransport_errors\theld\tserver_us\tclient_us\tbusy_pct"

func (r report) appendTo(path string) error {
	refused := 0
	for _, v := range r.refused {
		refused += v
	}
	fields := []string{r.engine, strconv.Itoa(r.readers), fmt.Sprintf("%.1f", r.seconds), strconv.Itoa(r.accepted),
		strconv.Itoa(r.stored), yesNo(r.equal), fmt.Sprintf("%.0f", r.rate), msText(r.p50), msText(r.p99), msText(r.max),
		msText(r.visP50), msText(r.visP99), msText(r.visMax), strconv.Itoa(r.visN), strconv.Itoa(r.notVisible),
		strconv.Itoa(refused), strconv.Itoa(r.transport), strconv.Itoa(r.held),
		unknown(r.serverUS, "%.0f"), unknown(r.selfUS, "%.0f"), unknown(r.busyPct, "%.0f")}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if st, err := f.Stat(); err == nil && st.Size() == 0 {
		fmt.Fprintln(f, resultColumns)
	}
	fmt.Fprintln(f, strings.Join(fields, "\t"))
	return f.Close()
}

// cpuSample is CPU time read from /proc (Linux only; -1 or 0 elsewhere).
type cpuSample struct {
	server, self int64 // clock ticks of user + system time; -1 unknown
	total, idle  int64 // the whole machine, in ticks
}

// cpuUse is the CPU spent between two samples; -1 where unknown.
type cpuUse struct {
	server, self time.Duration
	busy         float64 // share of all cores busy
}

// tick is the unit of /proc's CPU times (USER_HZ, 100 on Linux).
const tick = 10 * time.Millisecond

func readCPU(serverPID int) cpuSample {
	s := cpuSample{server: -1, self: procTicks("self")}
	if serverPID > 0 {
		s.server = procTicks(strconv.Itoa(serverPID))
	}
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return s
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return s
	}
	for i, v := range f[1:9] { // user nice system idle iowait irq softirq steal
		n, _ := strconv.ParseInt(v, 10, 64)
		s.total += n
		if i == 3 || i == 4 {
			s.idle += n
		}
	}
	return s
}

// procTicks reads user + system time from /proc/PID/stat.
func procTicks(pid string) int64 {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return -1
	}
	// The command name (field 2) may hold spaces; fields 14 and 15 are
	// the 12th and 13th after its closing parenthesis.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return -1
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return u + st
}

func (a cpuSample) since(b cpuSample) cpuUse {
	u := cpuUse{server: -1, self: -1, busy: -1}
	if a.server >= 0 && b.server >= 0 {
		u.server = time.Duration(a.server-b.server) * tick
	}
	if a.self >= 0 && b.self >= 0 {
		u.self = time.Duration(a.self-b.self) * tick
	}
	if a.total > 0 && b.total > 0 && a.total > b.total {
		u.busy = 1 - float64(a.idle-b.idle)/float64(a.total-b.total)
	}
	return u
}
