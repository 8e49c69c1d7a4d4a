#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# conftest.sh KDIR OUT: decide the kernel API differences mmrepro cares about
# by compiling one small probe per question against the kernel build tree
# or headers in KDIR (the way out-of-tree drivers run conftests), and write
# the answers as #defines to OUT. Version numbers alone are not enough:
# distribution kernels carry backports.
#
# All probes are built by one kbuild invocation; a probe that fails to
# compile (its .o is missing afterwards) answers "no".
set -eu

kdir=$1
out=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmrepro-conftest.XXXXXX")
trap '[ -n "${MMREPRO_CONFTEST_KEEP:-}" ] || rm -rf "$tmp"' EXIT

probe() {
	# probe NAME: C source on stdin
	cat >"$tmp/$1.c"
	echo "obj-m += $1.o" >>"$tmp/Kbuild"
}

: >"$tmp/Kbuild"

# Must always compile: if it does not, KDIR is not a usable kernel tree.
probe baseline <<'C'
#include <linux/mm.h>
unsigned long mmrepro_probe(void);
unsigned long mmrepro_probe(void)
{
	return PAGE_SIZE;
}
C

# pin_user_pages() took a struct vm_area_struct ** argument before 6.5.
probe pin_user_pages_vmas <<'C'
#include <linux/mm.h>
long mmrepro_probe(unsigned long start, struct page **pages);
long mmrepro_probe(unsigned long start, struct page **pages)
{
	return pin_user_pages(start, 1, FOLL_WRITE, pages, NULL);
}
C

# FOLL_HONOR_NUMA_FAULT: 6.6 on (absent from 6.1).
probe foll_honor_numa_fault <<'C'
#include <linux/mm.h>
unsigned int mmrepro_probe(void);
unsigned int mmrepro_probe(void)
{
	return FOLL_HONOR_NUMA_FAULT;
}
C

# make_device_exclusive_range(): up to 6.14, with CONFIG_DEVICE_PRIVATE.
probe make_device_exclusive_range <<'C'
#include <linux/mm.h>
#include <linux/rmap.h>
#ifndef CONFIG_DEVICE_PRIVATE
#error no CONFIG_DEVICE_PRIVATE
#endif
int mmrepro_probe(struct mm_struct *mm, unsigned long start, struct page **pages);
int mmrepro_probe(struct mm_struct *mm, unsigned long start, struct page **pages)
{
	return make_device_exclusive_range(mm, start, start + PAGE_SIZE, pages, NULL);
}
C

# make_device_exclusive(): 6.15 on, with CONFIG_DEVICE_PRIVATE.
probe make_device_exclusive <<'C'
#include <linux/mm.h>
#include <linux/rmap.h>
#ifndef CONFIG_DEVICE_PRIVATE
#error no CONFIG_DEVICE_PRIVATE
#endif
struct page *mmrepro_probe(struct mm_struct *mm, unsigned long addr, struct folio **foliop);
struct page *mmrepro_probe(struct mm_struct *mm, unsigned long addr, struct folio **foliop)
{
	return make_device_exclusive(mm, addr, NULL, foliop);
}
C

# Non-present PTE decoding, up to 6.18: swp_entry_t helpers in swapops.h.
probe swp_entry_helpers <<'C'
#include <linux/mm.h>
#include <linux/swap.h>
#include <linux/swapops.h>
unsigned int mmrepro_probe(pte_t pte);
unsigned int mmrepro_probe(pte_t pte)
{
	swp_entry_t e = pte_to_swp_entry(pte);

	return !non_swap_entry(e) + is_migration_entry(e) + is_device_exclusive_entry(e);
}
C

# ... from 6.19 on: softleaf_t in leafops.h.
probe softleaf_helpers <<'C'
#include <linux/mm.h>
#include <linux/swap.h>
#include <linux/leafops.h>
unsigned int mmrepro_probe(pte_t pte);
unsigned int mmrepro_probe(pte_t pte)
{
	softleaf_t e = softleaf_from_pte(pte);

	return softleaf_is_swap(e) + softleaf_is_migration(e) + softleaf_is_device_exclusive(e);
}
C

# Link probes (link_*): compiling is not enough, every symbol the probe
# needs must also be exported to us (EXPORT_SYMBOL[_GPL] without a
# namespace) in KDIR/Module.symvers. Debian's 6.1, 6.12 and 7.2 all compile
# the code below, but none exports cc_mask (pte_modify() uses it through
# _PAGE_CHG_MASK), and 7.2 exports __flush_tlb_all only to KVM.

# FORCE_PROTNONE the way module/pgtable.c does it.
probe link_force_protnone <<'C'
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/smp.h>
#include <asm/tlbflush.h>
static int mmrepro_probe_pte(pte_t *ptep, unsigned long addr, void *data)
{
	struct vm_area_struct *vma = data;
	pte_t old = ptep_modify_prot_start(vma, addr, ptep);

	ptep_modify_prot_commit(vma, addr, ptep, old, pte_modify(old, PAGE_NONE));
	return 0;
}
static void mmrepro_probe_flush(void *unused)
{
	__flush_tlb_all();
}
int mmrepro_probe(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr);
int mmrepro_probe(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl = pmd_lock(vma->vm_mm, pmd);
	pmd_t old = pmdp_establish(vma, addr, pmd, pmd_mkinvalid(*pmd));

	set_pmd_at(vma->vm_mm, addr, pmd, pmd_modify(old, PAGE_NONE));
	spin_unlock(ptl);
	on_each_cpu(mmrepro_probe_flush, NULL, 1);
	return apply_to_page_range(vma->vm_mm, addr, PAGE_SIZE, mmrepro_probe_pte, vma);
}
C

# Run kbuild with a clean environment: this script may itself be called
# from inside a kbuild run, whose exported variables must not leak in.
env -i PATH="$PATH" HOME="${HOME:-/}" \
	make -k -C "$kdir" M="$tmp" modules >"$tmp/log" 2>&1 || true

# linkable OBJ: is every undefined symbol of OBJ exported to any module?
# Fails closed: no Module.symvers or no nm means "no".
linkable() {
	[ -f "$kdir/Module.symvers" ] || return 1
	nm=$(command -v nm || command -v "$(uname -m)-linux-gnu-nm") || return 1
	"$nm" -u "$1" >"$tmp/nm.out" || return 1
	awk '{ print $NF }' "$tmp/nm.out" | sort -u >"$tmp/undef"
	[ -s "$tmp/undef" ] || return 1
	# Module.symvers: CRC, symbol, module, export type, namespace.
	awk -F '\t' '$5 == "" { print $2 }' "$kdir/Module.symvers" | sort -u >"$tmp/exported"
	[ -z "$(comm -23 "$tmp/undef" "$tmp/exported")" ]
}

{
	echo "/* SPDX-License-Identifier: GPL-2.0 */"
	echo "/* Generated by module/conftest.sh: do not edit. */"
	echo "#ifndef MMREPRO_COMPAT_GEN_H"
	echo "#define MMREPRO_COMPAT_GEN_H"
	for c in "$tmp"/*.c; do
		name=$(basename "$c" .c)
		macro=MMREPRO_HAVE_$(echo "$name" | tr '[:lower:]' '[:upper:]')
		if [ -f "$tmp/$name.o" ] && { [ "${name#link_}" = "$name" ] || linkable "$tmp/$name.o"; }; then
			echo "#define $macro 1"
		else
			echo "/* #undef $macro */"
		fi
	done
	echo "#endif"
} >"$out.tmp"

# A tree where not even the baseline probe compiles is not a kernel tree
# we can build against: say so instead of guessing.
if [ ! -f "$tmp/baseline.o" ]; then
	echo "conftest: cannot compile against $kdir; kbuild said:" >&2
	tail -n 20 "$tmp/log" >&2
	rm -f "$out.tmp"
	exit 1
fi
mv "$out.tmp" "$out"
