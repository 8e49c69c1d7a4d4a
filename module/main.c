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

static long mmrepro_ioc_info(struct mmrepro_file *mf, struct mmrepro_info __user *uarg)
{
	struct mmrepro_info info;

	memset(&info, 0, sizeof(info));
	info.abi_version = MMREPRO_ABI_VERSION;
	info.page_size = PAGE_SIZE;
	info.caps = MMREPRO_CAP_PIN_LONGTERM;
	if (MMREPRO_FOLL_HONOR_NUMA_FAULT)
		info.caps |= MMREPRO_CAP_HONOR_NUMA_FAULT;
	if (MMREPRO_EXCL_API != MMREPRO_EXCL_API_NONE)
		info.caps |= MMREPRO_CAP_DEVICE_EXCLUSIVE;
	info.caps |= MMREPRO_PROTNONE_CAPS;
	if (IS_ENABLED(CONFIG_MMU_NOTIFIER))
		info.caps |= MMREPRO_CAP_NOTIFIER_EVENTS;
	if (IS_ENABLED(CONFIG_NUMA_BALANCING))
		info.caps |= MMREPRO_CAP_NUMA_BALANCING;
	info.protnone_method = MMREPRO_PROTNONE_METHOD;
	info.pin_api = MMREPRO_PIN_API;
	info.exclusive_api = MMREPRO_EXCL_API;
	info.max_pin_pages = MMREPRO_MAX_PIN_PAGES;
	info.max_held_pages = MMREPRO_MAX_HELD_PAGES;
	info.max_io_bytes = MMREPRO_MAX_IO_BYTES;

	mutex_lock(&mf->lock);
	info.pinned_pages = mf->nr_pinned;
	mutex_unlock(&mf->lock);
	mutex_lock(&mf->excl_lock);
	info.exclusive_pages = mf->nr_excl;
	mutex_unlock(&mf->excl_lock);

	strscpy(info.release, init_utsname()->release, sizeof(info.release));
	strscpy(info.module_version, MMREPRO_MODULE_VERSION, sizeof(info.module_version));

	if (copy_to_user(uarg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static long mmrepro_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct mmrepro_file *mf = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case MMREPRO_IOC_INFO:
		return mmrepro_ioc_info(mf, uarg);
	case MMREPRO_IOC_DEV_READ:
		return mmrepro_ioc_io(mf, uarg, false);
	case MMREPRO_IOC_DEV_WRITE:
		return mmrepro_ioc_io(mf, uarg, true);
	case MMREPRO_IOC_CHECK_EXCLUSIVE:
		return mmrepro_ioc_check_exclusive(mf, uarg);
	case MMREPRO_IOC_EVENTS:
		return mmrepro_ioc_events(mf, uarg);
	}

	/* Everything else acts on the opener's address space. */
	if (current->mm != mf->mm)
		return -EPERM;

	switch (cmd) {
	case MMREPRO_IOC_PIN:
		return mmrepro_ioc_pin(mf, uarg);
	case MMREPRO_IOC_UNPIN:
		return mmrepro_ioc_unpin(mf, uarg);
	case MMREPRO_IOC_SNAPSHOT:
		return mmrepro_ioc_snapshot(mf, uarg);
	case MMREPRO_IOC_FORCE_PROTNONE:
		return mmrepro_ioc_force_protnone(mf, uarg);
	case MMREPRO_IOC_EXCLUSIVE:
		return mmrepro_ioc_exclusive(mf, uarg);
	case MMREPRO_IOC_RELEASE:
		return mmrepro_ioc_release(mf, uarg);
	}
	return -ENOTTY;
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
