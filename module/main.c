// SPDX-License-Identifier: GPL-2.0
/*
 * mmrepro: reproduce Linux memory-management bugs around GUP, pinning,
 * device-exclusive entries and PROT_NONE from userspace.
 *
 * /dev/mmrepro is a misc device, root only. Every open file is a "device"
 * bound to the opener's mm (see struct mmrepro_file); what it holds is
 * released when the file is released.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>

#include "compat.h"
#include "mmrepro.h"

#define MMREPRO_MODULE_VERSION	"0.1"

static int mmrepro_open(struct inode *inode, struct file *file)
{
	struct mmrepro_file *mf;
	int ret;

	if (!current->mm)
		return -EINVAL;

	mf = kzalloc_obj(*mf, GFP_KERNEL_ACCOUNT);
	if (!mf)
		return -ENOMEM;

	mf->mm = current->mm;
	mmgrab(mf->mm);
	mutex_init(&mf->lock);
	xa_init_flags(&mf->pins, XA_FLAGS_ACCOUNT);
	mutex_init(&mf->excl_op_lock);
	mutex_init(&mf->excl_lock);
	xa_init_flags(&mf->excl, XA_FLAGS_ACCOUNT);
	ret = mmrepro_excl_init(mf);
	if (ret) {
		mmdrop(mf->mm);
		kfree(mf);
		return ret;
	}
	file->private_data = mf;
	return 0;
}

static int mmrepro_release(struct inode *inode, struct file *file)
{
	struct mmrepro_file *mf = file->private_data;

	mmrepro_excl_fini(mf);
	mmrepro_unpin_all(mf);
	xa_destroy(&mf->pins);
	mmdrop(mf->mm);
	kfree(mf);
	return 0;
}

/* INFO's struct comes zeroed: the dispatcher copies nothing in for _IOR. */
static long mmrepro_ioc_info(struct mmrepro_file *mf, void *data)
{
	struct mmrepro_info *info = data;

	info->abi_version = MMREPRO_ABI_VERSION;
	info->page_size = PAGE_SIZE;
	info->caps = MMREPRO_CAP_PIN_LONGTERM;
	if (MMREPRO_FOLL_HONOR_NUMA_FAULT)
		info->caps |= MMREPRO_CAP_HONOR_NUMA_FAULT;
	if (MMREPRO_EXCL_API != MMREPRO_EXCL_API_NONE)
		info->caps |= MMREPRO_CAP_DEVICE_EXCLUSIVE;
	info->caps |= MMREPRO_PROTNONE_CAPS;
	if (IS_ENABLED(CONFIG_MMU_NOTIFIER))
		info->caps |= MMREPRO_CAP_NOTIFIER_EVENTS;
	if (IS_ENABLED(CONFIG_NUMA_BALANCING))
		info->caps |= MMREPRO_CAP_NUMA_BALANCING;
	info->protnone_method = MMREPRO_PROTNONE_METHOD;
	info->pin_api = MMREPRO_PIN_API;
	info->exclusive_api = MMREPRO_EXCL_API;
	info->max_pin_pages = MMREPRO_MAX_PIN_PAGES;
	info->max_held_pages = MMREPRO_MAX_HELD_PAGES;
	info->max_io_bytes = MMREPRO_MAX_IO_BYTES;

	mutex_lock(&mf->lock);
	info->pinned_pages = mf->nr_pinned;
	mutex_unlock(&mf->lock);
	mutex_lock(&mf->excl_lock);
	info->exclusive_pages = mf->nr_excl;
	mutex_unlock(&mf->excl_lock);

	strscpy(info->release, init_utsname()->release, sizeof(info->release));
	strscpy(info->module_version, MMREPRO_MODULE_VERSION, sizeof(info->module_version));
	return 0;
}

/* The kernel copy of an ioctl's argument struct: 168 bytes at most (INFO). */
union mmrepro_ioctl_arg {
	struct mmrepro_info info;
	struct mmrepro_pin pin;
	struct mmrepro_unpin unpin;
	struct mmrepro_io io;
	struct mmrepro_protnone protnone;
	struct mmrepro_snapshot snapshot;
	struct mmrepro_exclusive exclusive;
	struct mmrepro_check_exclusive check_exclusive;
	struct mmrepro_release release;
	struct mmrepro_events events;
};

/*
 * When the dispatcher writes a command's output fields back, for commands
 * with _IOC_READ in their _IOC_DIR(). A failed write makes the call fail
 * with EFAULT, and what the call did stays done (UNPIN, RELEASE,
 * FORCE_PROTNONE, EXCLUSIVE), unless said otherwise.
 */
enum mmrepro_ioctl_out {
	/* When the handler returned 0. */
	MMREPRO_OUT_ON_SUCCESS,
	/*
	 * Once ->check has passed, whatever the handler returns: EXCLUSIVE's
	 * done says how far it got before it failed. A write that fails turns
	 * the handler's errno into EFAULT.
	 */
	MMREPRO_OUT_ALWAYS,
	/*
	 * PIN, which keeps nothing when its output cannot be written: written
	 * once between ->check and the handler (pinned: 0), so that a struct
	 * that cannot be written fails before anything is done; then when the
	 * handler returned 0, and if that write fails, ->undo takes back what
	 * the handler did. Not when the handler failed: pinned already says 0.
	 */
	MMREPRO_OUT_ALL_OR_NOTHING,
};

/*
 * One ioctl command, at _IOC_NR(@cmd) in mmrepro_ioctls[].
 * @cmd:	MMREPRO_IOC_*: _IOC_SIZE() is the size of its struct, copied in
 *		when _IOC_DIR() has _IOC_WRITE (else zeroed), its output fields
 *		written back when _IOC_DIR() has _IOC_READ.
 * @fn:		the handler, on the kernel copy: 0 or -errno.
 * @owner_mm_only: it acts on the opener's mm: EPERM from any other mm,
 *		before anything is copied.
 * @out_start:	where the output fields begin (they end the struct): only
 *		they are written back, not the input fields the call read.
 * @out:	when they are written back.
 * @check:	if set, argument checks that do nothing, run before @fn; when
 *		they fail, the call fails with nothing written back.
 * @undo:	for MMREPRO_OUT_ALL_OR_NOTHING.
 */
struct mmrepro_ioctl_desc {
	unsigned int cmd;
	long (*fn)(struct mmrepro_file *mf, void *data);
	bool owner_mm_only;
	unsigned short out_start;
	enum mmrepro_ioctl_out out;
	long (*check)(struct mmrepro_file *mf, void *data);
	void (*undo)(struct mmrepro_file *mf, void *data);
};

/* The one output field of these structs, which @out_start names, ends them. */
static_assert(offsetofend(struct mmrepro_pin, pinned) == sizeof(struct mmrepro_pin));
static_assert(offsetofend(struct mmrepro_unpin, unpinned) == sizeof(struct mmrepro_unpin));
static_assert(offsetofend(struct mmrepro_protnone, changed) == sizeof(struct mmrepro_protnone));
static_assert(offsetofend(struct mmrepro_exclusive, done) == sizeof(struct mmrepro_exclusive));
static_assert(offsetofend(struct mmrepro_check_exclusive, held) ==
	      sizeof(struct mmrepro_check_exclusive));
static_assert(offsetofend(struct mmrepro_release, released) == sizeof(struct mmrepro_release));

static const struct mmrepro_ioctl_desc mmrepro_ioctls[] = {
	[_IOC_NR(MMREPRO_IOC_INFO)] = {
		.cmd = MMREPRO_IOC_INFO,
		.fn = mmrepro_ioc_info,
	},
	[_IOC_NR(MMREPRO_IOC_PIN)] = {
		.cmd = MMREPRO_IOC_PIN,
		.fn = mmrepro_ioc_pin,
		.owner_mm_only = true,
		.out_start = offsetof(struct mmrepro_pin, pinned),
		.out = MMREPRO_OUT_ALL_OR_NOTHING,
		.check = mmrepro_ioc_pin_check,
		.undo = mmrepro_ioc_pin_undo,
	},
	[_IOC_NR(MMREPRO_IOC_UNPIN)] = {
		.cmd = MMREPRO_IOC_UNPIN,
		.fn = mmrepro_ioc_unpin,
		.owner_mm_only = true,
		.out_start = offsetof(struct mmrepro_unpin, unpinned),
	},
	[_IOC_NR(MMREPRO_IOC_DEV_READ)] = {
		.cmd = MMREPRO_IOC_DEV_READ,
		.fn = mmrepro_ioc_dev_read,
	},
	[_IOC_NR(MMREPRO_IOC_DEV_WRITE)] = {
		.cmd = MMREPRO_IOC_DEV_WRITE,
		.fn = mmrepro_ioc_dev_write,
	},
	[_IOC_NR(MMREPRO_IOC_FORCE_PROTNONE)] = {
		.cmd = MMREPRO_IOC_FORCE_PROTNONE,
		.fn = mmrepro_ioc_force_protnone,
		.owner_mm_only = true,
		.out_start = offsetof(struct mmrepro_protnone, changed),
	},
	[_IOC_NR(MMREPRO_IOC_SNAPSHOT)] = {
		.cmd = MMREPRO_IOC_SNAPSHOT,
		.fn = mmrepro_ioc_snapshot,
		.owner_mm_only = true,
	},
	[_IOC_NR(MMREPRO_IOC_EXCLUSIVE)] = {
		.cmd = MMREPRO_IOC_EXCLUSIVE,
		.fn = mmrepro_ioc_exclusive,
		.owner_mm_only = true,
		.out_start = offsetof(struct mmrepro_exclusive, done),
		.out = MMREPRO_OUT_ALWAYS,
		.check = mmrepro_ioc_exclusive_check,
	},
	[_IOC_NR(MMREPRO_IOC_CHECK_EXCLUSIVE)] = {
		.cmd = MMREPRO_IOC_CHECK_EXCLUSIVE,
		.fn = mmrepro_ioc_check_exclusive,
		.out_start = offsetof(struct mmrepro_check_exclusive, held),
	},
	[_IOC_NR(MMREPRO_IOC_RELEASE)] = {
		.cmd = MMREPRO_IOC_RELEASE,
		.fn = mmrepro_ioc_release,
		.owner_mm_only = true,
		.out_start = offsetof(struct mmrepro_release, released),
	},
	[_IOC_NR(MMREPRO_IOC_EVENTS)] = {
		.cmd = MMREPRO_IOC_EVENTS,
		.fn = mmrepro_ioc_events,
	},
};

static int mmrepro_ioctl_write_out(const struct mmrepro_ioctl_desc *d, void __user *uarg,
				   const union mmrepro_ioctl_arg *karg)
{
	unsigned int start = d->out_start;

	if (copy_to_user(uarg + start, (const char *)karg + start, _IOC_SIZE(d->cmd) - start))
		return -EFAULT;
	return 0;
}

/*
 * In the order the ABI has always had: from another mm, EPERM for the
 * commands that act on the opener's mm, and for unknown ones too (only the
 * known harmless ones may come from there); ENOTTY for an unknown command
 * (the size is part of it); EFAULT when the struct cannot be read; then
 * the handler's checks and work, and the output written back as
 * enum mmrepro_ioctl_out says.
 */
static long mmrepro_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct mmrepro_file *mf = file->private_data;
	const struct mmrepro_ioctl_desc *d = NULL;
	void __user *uarg = (void __user *)arg;
	unsigned int nr = _IOC_NR(cmd);
	union mmrepro_ioctl_arg karg;
	long ret;

	if (nr < ARRAY_SIZE(mmrepro_ioctls)) {
		d = &mmrepro_ioctls[array_index_nospec(nr, ARRAY_SIZE(mmrepro_ioctls))];
		if (d->cmd != cmd)
			d = NULL;
	}
	if ((!d || d->owner_mm_only) && current->mm != mf->mm)
		return -EPERM;
	if (!d || WARN_ON_ONCE(_IOC_SIZE(cmd) > sizeof(karg)))
		return -ENOTTY;

	if (_IOC_DIR(cmd) & _IOC_WRITE) {
		if (copy_from_user(&karg, uarg, _IOC_SIZE(cmd)))
			return -EFAULT;
	} else {
		memset(&karg, 0, sizeof(karg));
	}

	if (d->check) {
		ret = d->check(mf, &karg);
		if (ret)
			return ret;
	}
	if (d->out == MMREPRO_OUT_ALL_OR_NOTHING && mmrepro_ioctl_write_out(d, uarg, &karg))
		return -EFAULT;
	ret = d->fn(mf, &karg);
	if (!(_IOC_DIR(cmd) & _IOC_READ) || (ret && d->out != MMREPRO_OUT_ALWAYS))
		return ret;
	if (mmrepro_ioctl_write_out(d, uarg, &karg)) {
		/* ret is 0 here for MMREPRO_OUT_ALL_OR_NOTHING */
		if (d->undo)
			d->undo(mf, &karg);
		return -EFAULT;
	}
	return ret;
}

static const struct file_operations mmrepro_fops = {
	.owner		= THIS_MODULE,
	.open		= mmrepro_open,
	.release	= mmrepro_release,
	.unlocked_ioctl	= mmrepro_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice mmrepro_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "mmrepro",
	.fops	= &mmrepro_fops,
	.mode	= 0600,
};

static int __init mmrepro_init(void)
{
	return misc_register(&mmrepro_misc);
}

static void __exit mmrepro_exit(void)
{
	misc_deregister(&mmrepro_misc);
}

module_init(mmrepro_init);
module_exit(mmrepro_exit);

MODULE_DESCRIPTION("Reproduce mm bugs around GUP, pinning, device-exclusive entries and PROT_NONE");
MODULE_LICENSE("GPL");
MODULE_VERSION(MMREPRO_MODULE_VERSION);
