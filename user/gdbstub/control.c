/*
 * The packets that run the program and end the session: c C s S and
 * vCont resume it and answer at its next stop, ? repeats that stop's
 * reply, k kills the program and D detaches from it.  Each is a
 * handler of the packet table (packet.c); the stop itself is
 * target.c's.
 */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "gdbstub.h"

/* --- the stop reply ----------------------------------------------- */

/*
 * T (with the thread and, for a breakpoint or watchpoint, why), W for
 * an exit, X for death by a signal; after W or X the stub is done.
 */
int send_stop(struct stub *s)
{
	const struct stop *st = &s->t.stop;

	if (st->kind == STOP_EXITED) {
		s->exit_status = st->sig;
		sendf(s, "W%02x", st->sig & 0xff);
		return QUIT;
	}
	if (st->kind == STOP_KILLED) {
		s->exit_status = 128 + st->sig;
		sendf(s, "X%02x", gdb_signal(st->sig));
		return QUIT;
	}
	if (st->reason == REASON_SWBREAK)
		sendf(s, "T%02xthread:%x;swbreak:;", gdb_signal(st->sig),
		      s->t.pid);
	else if (st->reason == REASON_WATCH)
		sendf(s, "T%02xthread:%x;%s:%x;", gdb_signal(st->sig), s->t.pid,
		      st->watch_kind, st->watch_addr);
	else
		sendf(s, "T%02xthread:%x;", gdb_signal(st->sig), s->t.pid);
	return STAY;
}

/* --- running ------------------------------------------------------ */

/* Resume from @addr (if given) with GDB's signal @gdb_sig; reply at the stop. */
static int resume(struct stub *s, int step, int gdb_sig, const char *addr)
{
	uint8_t regs[GDB_REGS_SIZE];
	uint32_t pc;

	if (*addr) {
		if (hex_parse(&addr, &pc) || *addr ||
		    target_get_regs(&s->t, regs))
			return send(s, "E01"), STAY;
		memcpy(regs + 8 * 4, &pc, 4);	/* eip */
		if (target_set_regs(&s->t, regs))
			return send(s, "E01"), STAY;
	}
	if (target_resume(&s->t, &s->rsp, step, host_signal(gdb_sig)))
		return send(s, "E01"), STAY;
	return send_stop(s);
}

int h_continue(struct stub *s, const char *arg, size_t n)
{
	(void)n;
	return resume(s, 0, 0, arg);
}

int h_step(struct stub *s, const char *arg, size_t n)
{
	(void)n;
	return resume(s, 1, 0, arg);
}

/* C sig[;addr] and S sig[;addr] */
static int resume_sig(struct stub *s, const char *arg, int step)
{
	uint32_t sig;

	if (hex_parse(&arg, &sig) || (*arg && *arg != ';'))
		return send(s, "E01"), STAY;
	return resume(s, step, sig, *arg ? arg + 1 : arg);
}

int h_continue_sig(struct stub *s, const char *arg, size_t n)
{
	(void)n;
	return resume_sig(s, arg, 0);
}

int h_step_sig(struct stub *s, const char *arg, size_t n)
{
	(void)n;
	return resume_sig(s, arg, 1);
}

/* Does the thread-id at @p (after ':') name our one thread? */
/*
 * vCont;ACTION[:TID];ACTION...: the first action that applies to our
 * one thread wins (c, C sig, s, S sig); none applies: nothing to do.
 */
int h_vcont(struct stub *s, const char *arg, size_t n)
{
	const char *p = arg;
	uint32_t sig;
	int step;

	(void)n;
	while (*p == ';') {
		p++;
		step = *p == 's' || *p == 'S';
		sig = 0;
		if (*p != 'c' && *p != 's' && *p != 'C' && *p != 'S')
			return send(s, "E01"), STAY;
		if (*p++ == 'C' || p[-1] == 'S')
			if (hex_parse(&p, &sig))
				return send(s, "E01"), STAY;
		if (*p == ':' && !is_our_thread(s, p + 1)) {
			p = strchr(p, ';') ? strchr(p, ';') : "";
			continue;
		}
		return resume(s, step, sig, "");
	}
	return send(s, "E01"), STAY;
}

int h_vcont_query(struct stub *s, const char *arg, size_t n)
{
	(void)arg, (void)n;
	return send(s, "vCont;c;C;s;S"), STAY;
}

int h_status(struct stub *s, const char *arg, size_t n)
{
	(void)arg, (void)n;
	return send_stop(s);
}

/* The program dies with the session; GDB expects no reply. */
int h_kill(struct stub *s, const char *arg, size_t n)
{
	int status;

	(void)arg, (void)n;
	kill(s->t.pid, SIGKILL);
	target_wait(&s->t, &status);
	s->exit_status = 0;
	return QUIT;
}

/*
 * Leave the program running as it was, without our breakpoints; one we
 * started is still our child, so wait for its end (its output is the
 * point of running it).
 */
int h_detach(struct stub *s, const char *arg, size_t n)
{
	int status;

	(void)arg, (void)n;
	target_remove_all(&s->t);
	btrace_disable(&s->t);
	if (ptrace(PTRACE_DETACH, s->t.pid, 0, 0) < 0)
		return send(s, "E01"), STAY;
	send(s, "OK");
	s->exit_status = 0;
	if (!s->t.attached && !target_wait(&s->t, &status) && WIFEXITED(status))
		s->exit_status = WEXITSTATUS(status);
	return QUIT;
}
