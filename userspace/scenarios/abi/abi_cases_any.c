// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile inputs every ioctl shares: a NULL argument pointer, an argument
 * struct whose output fields cannot be written, a call from another mm (a
 * forked child, or a process the descriptor was passed to with
 * SCM_RIGHTS), unknown ioctl numbers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scenarios/abi/abi_check.h"
#include "lib/dev.h"

/* The page of buf the rows of this file use; held pinned during a row when needed. */
#define ANY_PAGE	20

static char scratch[64];

/* Valid arguments for req, so that the call reaches its output. */
static void fill_args(const struct abi_env *e, unsigned long req, void *p)
{
	uint64_t page = (uintptr_t)(e->buf + ANY_PAGE * e->psz);

	switch (req) {
	case MMREPRO_IOC_PIN:
		*(struct mmrepro_pin *)p = (struct mmrepro_pin){ .addr = page, .npages = 1 };
		break;
	case MMREPRO_IOC_UNPIN:
		*(struct mmrepro_unpin *)p = (struct mmrepro_unpin){ .flags = MMREPRO_UNPIN_ALL };
		break;
	case MMREPRO_IOC_DEV_READ:
	case MMREPRO_IOC_DEV_WRITE:
		*(struct mmrepro_io *)p = (struct mmrepro_io){
			.addr = page, .len = 16, .buf = (uintptr_t)scratch };
		break;
	case MMREPRO_IOC_FORCE_PROTNONE:
		*(struct mmrepro_protnone *)p = (struct mmrepro_protnone){
			.addr = page + e->psz, .npages = 1 };
		break;
	case MMREPRO_IOC_SNAPSHOT:
		*(struct mmrepro_snapshot *)p = (struct mmrepro_snapshot){
			.addr = page, .npages = 1, .states = (uintptr_t)scratch };
		break;
	case MMREPRO_IOC_EXCLUSIVE:
		*(struct mmrepro_exclusive *)p = (struct mmrepro_exclusive){
			.addr = page + 2 * e->psz, .npages = 1 };
		break;
	case MMREPRO_IOC_CHECK_EXCLUSIVE:
		*(struct mmrepro_check_exclusive *)p = (struct mmrepro_check_exclusive){
			.addr = page, .npages = 1 };
		break;
	case MMREPRO_IOC_RELEASE:
		*(struct mmrepro_release *)p = (struct mmrepro_release){
			.flags = MMREPRO_RELEASE_ALL };
		break;
	default:	/* INFO, EVENTS: all zero */
		memset(p, 0, 256);
		break;
	}
}

/* Give back whatever a row's call may have taken. */
static void let_go(struct abi_env *e)
{
	dev_release(e->fd, NULL, 0, NULL);
	dev_unpin_all(e->fd, NULL);
}

ABI_RUN(run_null)
{
	return raw_ioctl(e->fd, c->req, NULL);
}

/* The struct in a read-only page: the output cannot be written. */
ABI_RUN(run_ro_struct)
{
	long long before = abi_pinned_now(e), after;
	int ret;

	if (mprotect(e->rostruct, e->psz, PROT_READ | PROT_WRITE))
		return ABI_SETUP;
	fill_args(e, c->req, e->rostruct);
	if (mprotect(e->rostruct, e->psz, PROT_READ))
		return ABI_SETUP;
	ret = raw_ioctl(e->fd, c->req, e->rostruct);
	after = abi_pinned_now(e);
	let_go(e);
	mprotect(e->rostruct, e->psz, PROT_READ | PROT_WRITE);
	if (c->req == MMREPRO_IOC_PIN && ret == -EFAULT && after != before) {
		scen_log(e->ctx, "PIN with an unwritable struct left %lld pages pinned (before %lld)",
			 after, before);
		return ABI_WRONG_STATE;
	}
	return ret;
}

ABI_CHILD(child_call)
{
	char arg[256];

	fill_args(e, c->req, arg);
	return raw_ioctl(fd, c->req, arg);
}

/* From a forked child: another mm, the same file. */
ABI_RUN(run_child)
{
	int ret;

	/* A page held, so that DEV_READ / DEV_WRITE have something to reach. */
	if (dev_pin(e->fd, e->buf + ANY_PAGE * e->psz, 1, MMREPRO_PIN_WRITE))
		return ABI_SETUP;
	ret = abi_in_child(e, c, e->fd, child_call);
	let_go(e);
	return ret;
}

/* Receive one descriptor on sock; -1 on error. */
static int recv_fd(int sock)
{
	char data, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &data, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
	return fd;
}

static int send_fd(int sock, int fd)
{
	char data = 0, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &data, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(fd));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

/*
 * A process that did not inherit the descriptor gets it over a unix socket
 * (SCM_RIGHTS) and calls with it: the file is still bound to our mm.
 */
ABI_RUN(run_scm_rights)
{
	int sv[2], status, fd, ret;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return errno == EAFNOSUPPORT ? ABI_SKIP : ABI_SETUP;	/* no CONFIG_UNIX */
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		close(e->fd);	/* the child holds only what it receives */
		fd = recv_fd(sv[1]);
		if (fd < 0)
			_exit(250);
		ret = child_call(e, c, fd);
		_exit(-ret);
	}
	close(sv[1]);
	ret = pid < 0 || send_fd(sv[0], e->fd) ? ABI_SETUP : 0;
	close(sv[0]);
	if (pid < 0)
		return ABI_SETUP;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) == 250)
		return ABI_SETUP;
	let_go(e);
	return ret ? ret : -WEXITSTATUS(status);
}

ABI_RUN(run_unknown_nr)
{
	return raw_ioctl(e->fd, _IO(MMREPRO_IOC_MAGIC, 0x7f), NULL);
}

/* PIN's number with another size: the size is part of the number. */
ABI_RUN(run_wrong_size)
{
	uint32_t small = 0;

	return raw_ioctl(e->fd, _IOWR(MMREPRO_IOC_MAGIC, 0x01, uint32_t), &small);
}

#define NULL_ROW(name, nr) \
	{ name, nr, "argument pointer NULL", EFAULT, 0, 0, run_null }
#define RO_ROW(name, nr) \
	{ name, nr, "argument struct in a read-only page (its output cannot be written)", \
	  EFAULT, 0, 0, run_ro_struct }
#define CHILD_ROW(name, nr, want, cap, without) \
	{ name, nr, "from a forked child (another mm, the same file)", want, cap, without, \
	  run_child }

static const struct abi_case rows[] = {
	{ "any", 0, "unknown ioctl number", ENOTTY, 0, 0, run_unknown_nr },
	{ "PIN", MMREPRO_IOC_PIN, "PIN's number with another argument size", ENOTTY, 0, 0,
	  run_wrong_size },
	NULL_ROW("INFO", MMREPRO_IOC_INFO),
	NULL_ROW("PIN", MMREPRO_IOC_PIN),
	NULL_ROW("UNPIN", MMREPRO_IOC_UNPIN),
	NULL_ROW("DEV_READ", MMREPRO_IOC_DEV_READ),
	NULL_ROW("DEV_WRITE", MMREPRO_IOC_DEV_WRITE),
	NULL_ROW("FORCE_PROTNONE", MMREPRO_IOC_FORCE_PROTNONE),
	NULL_ROW("SNAPSHOT", MMREPRO_IOC_SNAPSHOT),
	NULL_ROW("EXCLUSIVE", MMREPRO_IOC_EXCLUSIVE),
	NULL_ROW("CHECK_EXCLUSIVE", MMREPRO_IOC_CHECK_EXCLUSIVE),
	NULL_ROW("RELEASE", MMREPRO_IOC_RELEASE),
	NULL_ROW("EVENTS", MMREPRO_IOC_EVENTS),
	RO_ROW("INFO", MMREPRO_IOC_INFO),
	{ "PIN", MMREPRO_IOC_PIN, "argument struct in a read-only page: nothing stays pinned",
	  EFAULT, 0, 0, run_ro_struct },
	RO_ROW("UNPIN", MMREPRO_IOC_UNPIN),
	{ "FORCE_PROTNONE", MMREPRO_IOC_FORCE_PROTNONE,
	  "argument struct in a read-only page (its output cannot be written)", EFAULT,
	  MMREPRO_CAP_FORCE_PROTNONE, EOPNOTSUPP, run_ro_struct },
	RO_ROW("EXCLUSIVE", MMREPRO_IOC_EXCLUSIVE),
	RO_ROW("CHECK_EXCLUSIVE", MMREPRO_IOC_CHECK_EXCLUSIVE),
	RO_ROW("RELEASE", MMREPRO_IOC_RELEASE),
	{ "EVENTS", MMREPRO_IOC_EVENTS,
	  "argument struct in a read-only page (its output cannot be written)", EFAULT,
	  MMREPRO_CAP_NOTIFIER_EVENTS, EOPNOTSUPP, run_ro_struct },
	CHILD_ROW("INFO", MMREPRO_IOC_INFO, 0, 0, 0),
	CHILD_ROW("PIN", MMREPRO_IOC_PIN, EPERM, 0, 0),
	CHILD_ROW("UNPIN", MMREPRO_IOC_UNPIN, EPERM, 0, 0),
	CHILD_ROW("DEV_READ", MMREPRO_IOC_DEV_READ, 0, 0, 0),
	CHILD_ROW("DEV_WRITE", MMREPRO_IOC_DEV_WRITE, 0, 0, 0),
	CHILD_ROW("FORCE_PROTNONE", MMREPRO_IOC_FORCE_PROTNONE, EPERM, 0, 0),
	CHILD_ROW("SNAPSHOT", MMREPRO_IOC_SNAPSHOT, EPERM, 0, 0),
	CHILD_ROW("EXCLUSIVE", MMREPRO_IOC_EXCLUSIVE, EPERM, 0, 0),
	CHILD_ROW("CHECK_EXCLUSIVE", MMREPRO_IOC_CHECK_EXCLUSIVE, 0, 0, 0),
	CHILD_ROW("RELEASE", MMREPRO_IOC_RELEASE, EPERM, 0, 0),
	CHILD_ROW("EVENTS", MMREPRO_IOC_EVENTS, 0, MMREPRO_CAP_NOTIFIER_EVENTS, EOPNOTSUPP),
	{ "PIN", MMREPRO_IOC_PIN, "from a process the descriptor was passed to (SCM_RIGHTS)",
	  EPERM, 0, 0, run_scm_rights },
	{ "INFO", MMREPRO_IOC_INFO, "from a process the descriptor was passed to (SCM_RIGHTS)",
	  0, 0, 0, run_scm_rights },
};

ABI_TABLE(abi_cases_any, "every ioctl", rows);
