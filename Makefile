# Spoor: build the kernel, the user programs and the initramfs; boot them.
#
#   make run     build and boot to the serial console (installs tools)
#   make test    every test layer; last line "N passed, N failed"
#   make iso     GRUB rescue ISO          make debug   QEMU + gdb
#   make gdb     the host gdb on a Spoor process (PROG=, GDB_ARGS=)
#   make bench   figures under -icount    make lint / check-style
#   make fuzz-long  the fuzzers over many seeds
#   make lab LAB=name [DEST=dir]   a student tree    make grade [LAB=name]

BUILD   ?= build
CROSS   ?= i686-linux-gnu-
CC      := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
HOSTCC  ?= gcc
PYTHON  ?= python3

# Debian packages the build and the tests need (apt-get names).
PACKAGES := gcc-i686-linux-gnu binutils-i686-linux-gnu qemu-system-x86 \
	    grub-pc-bin grub-common xorriso cpio python3 gcc make clang-format gdb \
	    libc6-dev-i386-cross qemu-user
DEPS_STAMP := $(BUILD)/.deps-ok

GCC_INC = $(shell $(CC) -print-file-name=include 2>/dev/null)

# The kernel runs on a 486 too (the -cpu 486 test): no i686 instructions.
KCFLAGS = -D__KERNEL__ -m32 -march=i486 -std=gnu11 -O2 -g -ffreestanding -fno-pic \
	-fno-pie -fno-stack-protector -fno-builtin -fno-omit-frame-pointer \
	-fno-strict-aliasing -mgeneral-regs-only -nostdinc -isystem $(GCC_INC) \
	-Wall -Wextra -Werror -Ikernel/include -Ikernel/arch/x86/include -MMD -MP
KLDFLAGS := -m32 -nostdlib -no-pie -static -T $(BUILD)/linker.ld -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

KSRC := $(wildcard boot/*.S kernel/*.c kernel/lib/*.c kernel/tests/*.c \
	kernel/arch/x86/*.c kernel/arch/x86/*.S kernel/ptrace/*.c kernel/ds/*.c)
KOBJ := $(patsubst %,$(BUILD)/%.o,$(basename $(KSRC)))
KERNEL := $(BUILD)/spoor.elf
INITRD := $(BUILD)/initramfs.cpio

.PHONY: all run test iso debug gdb bench deps clean lint check-style format \
	host-tests user fuzz-long lab grade
all: $(KERNEL) $(INITRD) $(BUILD)/spoor.iso $(BUILD)/spoor-test.iso

# --- tools -----------------------------------------------------------------
# Install whatever is missing from PACKAGES (Debian/Ubuntu), once.
deps: $(DEPS_STAMP)
$(DEPS_STAMP):
	@missing=""; for p in $(PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		echo "installing:$$missing"; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi
	@mkdir -p $(@D) && touch $@

# --- kernel ----------------------------------------------------------------
# V=1 shows the full commands.
Q := $(if $(V),,@)

$(BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(KCFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.S | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(KCFLAGS) -D__ASSEMBLER__ -c -o $@ $<

# The linker script shares spoor/memlayout.h with C and assembly.
$(BUILD)/linker.ld: linker.ld kernel/include/spoor/memlayout.h
	@mkdir -p $(@D)
	$(Q)$(CC) -E -P -undef -x assembler-with-cpp -Ikernel/include -o $@ $<

$(KERNEL): $(KOBJ) $(BUILD)/linker.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(KLDFLAGS) -o $@ $(KOBJ) -lgcc
	$(Q)grub-file --is-x86-multiboot $@ || { echo "$@: no multiboot header"; exit 1; }

# --- user space and initramfs (rules in user/user.mk) ---------------------
-include user/user.mk
ifeq ($(wildcard user/user.mk),)
$(INITRD): | $(DEPS_STAMP)
	@mkdir -p $(BUILD)/rootfs && cd $(BUILD)/rootfs && \
		find . | cpio -o -H newc --quiet > ../initramfs.cpio
endif

# --- GRUB ISOs: one that boots to the shell, one that runs the smoke test --
$(BUILD)/spoor.iso: $(KERNEL) $(INITRD) boot/grub.cfg
	$(call make-iso,$@,)
$(BUILD)/spoor-test.iso: $(KERNEL) $(INITRD) boot/grub.cfg
	$(call make-iso,$@,ktest=smoke)
define make-iso
	@rm -rf $@.d && mkdir -p $@.d/boot/grub
	cp $(KERNEL) $@.d/boot/spoor.elf
	cp $(INITRD) $@.d/boot/initramfs.cpio
	sed 's|@CMDLINE@|$(2)|' boot/grub.cfg > $@.d/boot/grub/grub.cfg
	grub-mkrescue -o $@ $@.d >/dev/null 2>&1 || grub-mkrescue -o $@ $@.d
	@rm -rf $@.d
endef
iso: $(BUILD)/spoor.iso

# --- host unit tests: tests/host/test_*.c, KTAP on stdout -----------------
HOST_TESTS := $(patsubst tests/host/%.c,$(BUILD)/host/%,$(wildcard tests/host/test_*.c))
HOST_CFLAGS := -O1 -g -Wall -Wextra -Werror -Ikernel/include -Ikernel/arch/x86/include -Itests/host
HOST_TEST_SRCS_test_ds := $(wildcard kernel/ds/*.c) kernel/arch/x86/decode.c kernel/arch/x86/ptrace_bts.c kernel/lib/format.c kernel/lib/snprintf.c tests/host/ds_probe_cases.c tests/host/ds_request_cases.c tests/host/ds_lifetime_cases.c tests/host/ds_env.c tests/host/fake_cpu.c tests/host/kernel_shim.c tests/host/host_mem.c
# 32-bit DS fields hold addresses: keep even static data below 4 GiB.
HOST_TEST_LDFLAGS_test_ds := -no-pie
HOST_TEST_SRCS_test_decode := kernel/arch/x86/decode.c
HOST_TEST_SRCS_test_emulate := kernel/arch/x86/emulate.c kernel/arch/x86/decode.c
# emulate.c turns 32-bit user addresses into pointers; the test maps them.
HOST_TEST_LDFLAGS_test_emulate := -Wno-int-to-pointer-cast
# One rule per test, so its extra sources are prerequisites too.
define host-test-rule
$(BUILD)/host/$(1): tests/host/$(1).c $(wildcard tests/host/*.h) \
		kernel/lib/ktest.c tests/host/ktest_host.c \
		$(filter %.c,$(HOST_TEST_SRCS_$(1))) \
		$(wildcard kernel/include/spoor/*.h kernel/arch/x86/include/asm/*.h)
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  HOSTCC  $$@")
	$$(Q)$$(HOSTCC) $$(HOST_CFLAGS) -o $$@ $$< tests/host/ktest_host.c \
		kernel/lib/ktest.c $(HOST_TEST_SRCS_$(1)) $(HOST_TEST_LDFLAGS_$(1))
endef
$(foreach t,$(notdir $(HOST_TESTS)),$(eval $(call host-test-rule,$(t))))
host-tests: $(HOST_TESTS)

# --- running -----------------------------------------------------------------
QEMU := $(PYTHON) tests/qemu.py
run: $(KERNEL) $(INITRD)
	$(QEMU) run --kernel $(KERNEL) --initrd $(INITRD) $(if $(CMDLINE),--append "$(CMDLINE)")

debug: $(KERNEL) $(INITRD)
	@command -v gdb >/dev/null || { sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; $$sudo apt-get install -y -qq gdb; }
	$(QEMU) debug --kernel $(KERNEL) --initrd $(INITRD) $(if $(CMDLINE),--append "$(CMDLINE)") & \
		gdb -q $(KERNEL) -ex 'target remote :1234' -ex 'break kmain' -ex 'continue'; \
		kill %1 2>/dev/null || true

# A Spoor process under the host gdb, over COM2 (docs/gdb.md):
#   make gdb PROG="/bin/fib 10" [GDB_ARGS="-batch -x session.gdb"] [CMDLINE=bts_soft=step]
PROG ?= /bin/fib 10
gdb: $(KERNEL) $(INITRD)
	$(PYTHON) tests/gdbsession.py --kernel $(KERNEL) --initrd $(INITRD) \
		--build $(BUILD) --prog "$(PROG)" --append "$(CMDLINE)" -- $(GDB_ARGS)

test: all host-tests check-style
	$(PYTHON) tests/run.py

# The fuzzers over many seeds (FUZZ_SEEDS=N or a list, FUZZ_OPS, FUZZ_PROGRAMS):
# one boot per seed, figures per seed (tests/fuzz_long.py).
fuzz-long: $(KERNEL) $(INITRD)
	$(PYTHON) tests/fuzz_long.py

# The course pack (docs/labs/README.md): a student tree of lab LAB in DEST
# (default build/lab-LAB), and the grader (every lab, or LAB) with its
# Gradescope results.json in build/grade/.
lab:
	@test -n "$(LAB)" || { echo "usage: make lab LAB=name [DEST=dir]"; \
		$(PYTHON) -c 'import sys; sys.path.insert(0, "tests/labs"); import catalog; \
			print("labs:", *[l.name for l in catalog.LABS])'; exit 2; }
	$(PYTHON) tests/labs/tool.py lab $(LAB) $(if $(DEST),--dest $(DEST))
grade: $(KERNEL) $(INITRD) host-tests
	$(PYTHON) tests/labs/tool.py grade $(LAB)

# The kernel's own figures, the process figures, then the software BTS
# unit on `fib 20` in both modes: guest ticks and traps per branch under
# -icount, and the host-time slowdown under plain TCG.
BENCH_BOOT = $(QEMU) bench --kernel $(KERNEL) --initrd $(INITRD)
bench: $(KERNEL) $(INITRD)
	@$(BENCH_BOOT) --append "bench=all" > $(BUILD)/bench.log
	@$(BENCH_BOOT) --append "run=/bin/bench,/bin/ptbench" >> $(BUILD)/bench.log
	@for mode in step fast; do \
		$(BENCH_BOOT) --append "bts_soft=$$mode run=/bin/btbench" \
			>> $(BUILD)/bench.log; \
		$(BENCH_BOOT) --host-time --append "bts_soft=$$mode run=/bin/btbench" \
			| sed 's/^bench: /bench: host_time_/' >> $(BUILD)/bench.log; \
	done
	@$(PYTHON) tests/gdbsession.py --bench --kernel $(KERNEL) --initrd $(INITRD) \
		--build $(BUILD) >> $(BUILD)/bench.log
	@grep -a '^bench:' $(BUILD)/bench.log

# --- code quality ------------------------------------------------------------
CSRC := $(shell git ls-files '*.c' '*.h' 2>/dev/null)
# clang-format 14 against .clang-format, on the paths tests/check_style.py
# lists (the BTS showcase and its headers so far); alignment inside a
# line is hand-made and not checked (see .clang-format).
check-style:
	@$(PYTHON) tests/check_style.py
# clang-format's lines where a checked file differs, and only there
# (FILES="a.c b.h" for others, e.g. one of tests/style-pending.txt).
format:
	$(PYTHON) tests/check_style.py --fix $(FILES)
lint:
	cppcheck --quiet --inline-suppr --error-exitcode=1 --enable=warning,portability \
		--suppress=missingIncludeSystem -Ikernel/include \
		-Ikernel/arch/x86/include kernel boot
compile_commands.json:
	$(MAKE) clean && bear -- $(MAKE) all

clean:
	rm -rf $(BUILD)/*.o $(BUILD)/boot $(BUILD)/kernel $(BUILD)/user \
		$(BUILD)/host $(BUILD)/rootfs $(BUILD)/*.elf $(BUILD)/*.iso \
		$(BUILD)/*.cpio $(BUILD)/test-logs $(BUILD)/linker.ld

-include $(KOBJ:.o=.d)
