// SPDX-License-Identifier: GPL-2.0
/*
 * SNAPSHOT and FORCE_PROTNONE: reading and rewriting the opener's page
 * tables.
 *
 * No stock kernel exports a walker a module may use on user page tables
 * (walk_page_range(), pte_offset_map_lock() from 6.5 on), so reading walks
 * the levels with the inline accessors under the mmap lock and RCU (PTE
 * tables are RCU-freed), without the page table lock: a snapshot, as
 * /proc/pid/pagemap is.
 *
 * Nor does any stock kernel export a way to make PTEs NUMA-hinting
 * PROT_NONE (change_prot_numa(); by hand, pte_modify()'s cc_mask, a TLB
 * flush and the MMU notifier entry points). FORCE_PROTNONE therefore needs
 * mmrepro's kernel patch, which exports change_prot_numa_force(), and
 * fails with EOPNOTSUPP without it: a partial imitation in the module
 * (no notifiers, a global TLB flush) would test itself, not the kernel.
 */
#include <linux/highmem.h>
#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "mmrepro.h"

/* The PMD entry covering addr, or NULL when a level above is empty or a leaf. */
static pmd_t *mmrepro_find_pmd(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;
	pud_t *pud;
	pud_t pudv;

	if (pgd_none(READ_ONCE(*pgd)) || pgd_bad(READ_ONCE(*pgd)))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(READ_ONCE(*p4d)) || p4d_bad(READ_ONCE(*p4d)))
		return NULL;
	pud = pud_offset(p4d, addr);
	pudv = READ_ONCE(*pud);
	if (pud_none(pudv) || !pud_present(pudv) || pud_leaf(pudv))
		return NULL;
	return pmd_offset(pud, addr);
}

static void mmrepro_state_pfn(unsigned long pfn, struct mmrepro_page_state *st)
{
	struct folio *folio;
	struct page *page;

	if (!pfn_valid(pfn))
		return;
	page = pfn_to_page(pfn);
	folio = page_folio(page);
	st->nid = page_to_nid(page);
	if (folio_test_anon(folio))
		st->flags |= MMREPRO_PS_ANON;
	if (folio_test_ksm(folio))
		st->flags |= MMREPRO_PS_KSM;
	if (folio_maybe_dma_pinned(folio))
		st->flags |= MMREPRO_PS_MAYBE_PINNED;
}

/* Called with the mmap lock held. */
static void mmrepro_state(struct mm_struct *mm, unsigned long addr,
			  struct mmrepro_page_state *st)
{
	pmd_t *pmd;
	pmd_t pmdv;
	pte_t ptev;

	rcu_read_lock();
	pmd = mmrepro_find_pmd(mm, addr);
	if (!pmd)
		goto out;
	pmdv = mmrepro_pmdp_get(pmd);
	if (pmd_none(pmdv))
		goto out;
	if (!pmd_present(pmdv)) {
		/* A non-present PMD in a user VMA: a THP migration entry. */
		st->flags |= MMREPRO_PS_PMD | MMREPRO_PS_MIGRATION;
		goto out;
	}
	if (pmd_leaf(pmdv)) {
		st->flags |= MMREPRO_PS_PRESENT | MMREPRO_PS_PMD;
		if (pmd_write(pmdv))
			st->flags |= MMREPRO_PS_WRITE;
		if (pmd_protnone(pmdv))
			st->flags |= MMREPRO_PS_PROTNONE;
		mmrepro_state_pfn(pmd_pfn(pmdv) + ((addr & ~PMD_MASK) >> PAGE_SHIFT), st);
		goto out;
	}
	if (pmd_bad(pmdv))
		goto out;
	/*
	 * The PTE table of the value read above, not a second read of *pmd:
	 * the table may have been freed (RCU: we are in a read-side section)
	 * or replaced since, and a second read could find a leaf or garbage.
	 */
	ptev = ptep_get(pte_offset_kernel(&pmdv, addr));
	if (pte_none(ptev))
		goto out;
	if (!pte_present(ptev)) {
		st->flags |= mmrepro_nonpresent_pte_state(ptev);
		goto out;
	}
	st->flags |= MMREPRO_PS_PRESENT;
	if (pte_write(ptev))
		st->flags |= MMREPRO_PS_WRITE;
	if (pte_protnone(ptev))
		st->flags |= MMREPRO_PS_PROTNONE;
	mmrepro_state_pfn(pte_pfn(ptev), st);
out:
	rcu_read_unlock();
}

/* Is the PTE at @addr a device-exclusive entry? Called with the mmap lock held. */
bool mmrepro_addr_device_exclusive(struct mm_struct *mm, unsigned long addr)
{
	struct mmrepro_page_state st = { .nid = NUMA_NO_NODE };

	mmap_assert_locked(mm);
	mmrepro_state(mm, addr, &st);
	return st.flags & MMREPRO_PS_DEVICE_EXCLUSIVE;
}

/*
 * Is a page mapped at @addr that is neither anonymous nor hugetlb (which the
 * kernel is left to refuse, or not: thread 003)? Mmap lock held.
 */
bool mmrepro_addr_not_anon(struct mm_struct *mm, unsigned long addr)
{
	struct mmrepro_page_state st = { .nid = NUMA_NO_NODE };
	struct vm_area_struct *vma = find_vma(mm, addr);

	mmap_assert_locked(mm);
	if (!vma || vma->vm_start > addr || is_vm_hugetlb_page(vma))
		return false;
	mmrepro_state(mm, addr, &st);
	return (st.flags & MMREPRO_PS_PRESENT) && !(st.flags & MMREPRO_PS_ANON);
}

long mmrepro_ioc_snapshot(struct mmrepro_file *mf, void *data)
{
	struct mmrepro_snapshot *arg = data;
	struct mmrepro_page_state *states;
	struct vm_area_struct *vma = NULL;
	unsigned long first, last, i, addr;
	long ret;

	ret = mmrepro_range_args(arg->addr, arg->npages, arg->flags, arg->pad, &first, &last);
	if (ret)
		return ret;

	states = kvmalloc_array(arg->npages, sizeof(*states), GFP_KERNEL);
	if (!states)
		return -ENOMEM;

	if (mmap_read_lock_killable(mf->mm)) {
		kvfree(states);
		return -EINTR;
	}
	for (i = 0; i < arg->npages; i++) {
		addr = arg->addr + i * PAGE_SIZE;
		states[i].flags = 0;
		states[i].nid = NUMA_NO_NODE;
		if (xa_load(&mf->pins, first + i))
			states[i].flags |= MMREPRO_PS_HELD;
		if (!vma || addr >= vma->vm_end)
			vma = find_vma(mf->mm, addr);
		if (!vma || addr < vma->vm_start) {
			states[i].flags |= MMREPRO_PS_NO_VMA;
			continue;
		}
		if (is_vm_hugetlb_page(vma))
			states[i].flags |= MMREPRO_PS_HUGETLB;
		mmrepro_state(mf->mm, addr, &states[i]);
		if (!(i % 512)) {
			if (fatal_signal_pending(current)) {
				ret = -EINTR;
				break;
			}
			cond_resched();
		}
	}
	mmap_read_unlock(mf->mm);

	if (!ret && copy_to_user(u64_to_user_ptr(arg->states), states,
				 arg->npages * sizeof(*states)))
		ret = -EFAULT;
	kvfree(states);
	return ret;
}

#ifdef MMREPRO_HAVE_LINK_CHANGE_PROT_NUMA_FORCE
/* Every VMA of [start, end) must be there and fit NUMA hinting. */
static int mmrepro_protnone_check(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma;
	unsigned long addr = start;

	while (addr < end) {
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start > addr)
			return -EFAULT;
		if (is_vm_hugetlb_page(vma) || (vma->vm_flags & (VM_PFNMAP | VM_IO | VM_MIXEDMAP)))
			return -EOPNOTSUPP;
		if (!vma_is_accessible(vma))
			return -EACCES;
		addr = vma->vm_end;
	}
	return 0;
}

/*
 * The kernel's own change_protection(MM_CP_PROT_NUMA), minus the placement
 * heuristics, exported by mmrepro's kernel patch: MMU notifiers, TLB
 * flushes and PMD-mapped THPs are handled there. mmap_lock is taken for
 * read, as task_numa_work() does for change_prot_numa().
 */
static long mmrepro_force_protnone(struct mm_struct *mm, unsigned long start,
				   unsigned long end, u64 *changed)
{
	struct vm_area_struct *vma;
	unsigned long addr, next;
	long ret, nr;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	ret = mmrepro_protnone_check(mm, start, end);
	for (addr = start; !ret && addr < end; addr = next) {
		vma = find_vma(mm, addr);
		next = min(end, vma->vm_end);
		nr = change_prot_numa_force(vma, addr, next);
		if (nr < 0)
			ret = nr;
		else
			*changed += nr;
		cond_resched();
	}
	mmap_read_unlock(mm);
	return ret;
}
#else
static long mmrepro_force_protnone(struct mm_struct *mm, unsigned long start,
				   unsigned long end, u64 *changed)
{
	return -EOPNOTSUPP;
}
#endif

/* Arguments are checked first, so a kernel without a method still says EINVAL. */
long mmrepro_ioc_force_protnone(struct mmrepro_file *mf, void *data)
{
	struct mmrepro_protnone *arg = data;
	unsigned long first, last;
	long ret;

	ret = mmrepro_range_args(arg->addr, arg->npages, arg->flags, arg->pad, &first, &last);
	if (ret)
		return ret;
	arg->changed = 0;
	return mmrepro_force_protnone(mf->mm, arg->addr, arg->addr + arg->npages * PAGE_SIZE,
				      &arg->changed);
}
