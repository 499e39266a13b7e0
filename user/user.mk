# user.mk - Spoor user space: libc, programs, initramfs.
#
# Included by the top-level Makefile. Provides:
#   $(BUILD)/user/libc.a        crt0 + library + shared kernel/lib code
#   $(BUILD)/user/bin/NAME      user/bin/NAME.c and user/tests/NAME.c
#   $(BUILD)/user/bin/conf_NAME tests/conformance/NAME.c
#   $(BUILD)/user/bin/NAME      user/glibc/NAME.c, static glibc (not ours)
#   $(BUILD)/user/bin/gconf_NAME tests/conformance/NAME.c, static glibc
#   $(BUILD)/busybox            Debian's busybox-static (i386), fetched
#   $(BUILD)/initramfs.cpio     bin/* and etc/motd, cpio newc
#   USER_PROGRAMS               every program above
#   user, user-clean            phony targets
# Adding a program is adding a .c file in one of those directories.

CROSS ?= i686-linux-gnu-
BUILD ?= build

USER_CC := $(CROSS)gcc
USER_AR := $(CROSS)ar
USER_STRIP := $(CROSS)strip
# Deferred (=): on a fresh machine the compiler is installed by the
# top-level deps step, after this file is read.
USER_GCC_INCLUDE = $(shell $(USER_CC) -print-file-name=include 2>/dev/null)

# Quiet unless V=1, like the top-level Makefile.
Q ?= $(if $(V),,@)

USER_CFLAGS ?= -m32 -march=i686 -ffreestanding -fno-builtin \
	-fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	-O2 -g -Wall -Wextra -Werror \
	-nostdinc -isystem $(USER_GCC_INCLUDE) \
	-Iuser/include -Ikernel/include

# Static, at the classic i386 address; two PT_LOADs (text, data),
# no build-id note, no RELRO: simple for the kernel's ELF loader.
# _start is in libc.a, so ask for it explicitly.
USER_LDFLAGS ?= -m32 -static -nostdlib -no-pie -Wl,-u,_start \
	-Wl,-Ttext-segment=0x08048000 -Wl,-z,noseparate-code \
	-Wl,--build-id=none -Wl,-z,norelro -Wl,-z,noexecstack

# The code shared with the kernel, compiled again for user space.
USER_SHARED_SRCS := kernel/lib/string.c kernel/lib/format.c \
	kernel/lib/snprintf.c kernel/lib/ktest.c kernel/lib/syscall_names.c

USER_LIB_SRCS := $(wildcard user/lib/*.c) $(wildcard user/lib/*.S)
USER_LIB_OBJS := \
	$(patsubst user/lib/%,$(BUILD)/user/lib/%.o,$(USER_LIB_SRCS)) \
	$(patsubst kernel/lib/%.c,$(BUILD)/user/shared/%.o,$(USER_SHARED_SRCS))
USER_LIBC := $(BUILD)/user/libc.a

USER_BIN_NAMES := $(basename $(notdir $(wildcard user/bin/*.c)))
USER_TEST_NAMES := $(basename $(notdir $(wildcard user/tests/*.c)))
USER_CONF_NAMES := $(basename $(notdir $(wildcard tests/conformance/*.c)))

USER_BINS := $(addprefix $(BUILD)/user/bin/,$(USER_BIN_NAMES))
USER_TESTS := $(addprefix $(BUILD)/user/bin/,$(USER_TEST_NAMES))
USER_CONFS := $(addprefix $(BUILD)/user/bin/conf_,$(USER_CONF_NAMES))
# Unmodified Linux programs: built against the cross toolchain's glibc.
GLIBC_NAMES := $(basename $(notdir $(wildcard user/glibc/*.c)))
GLIBC_BINS := $(addprefix $(BUILD)/user/bin/,$(GLIBC_NAMES))
GLIBC_CONFS := $(addprefix $(BUILD)/user/bin/gconf_,$(USER_CONF_NAMES))
USER_PROGRAMS := $(USER_BINS) $(USER_TESTS) $(USER_CONFS) $(GLIBC_BINS) \
	$(GLIBC_CONFS)

USER_ROOTFS := $(BUILD)/rootfs
USER_INITRAMFS := $(BUILD)/initramfs.cpio

.PHONY: user user-clean
user: $(USER_LIBC) $(USER_PROGRAMS) $(USER_INITRAMFS)

# --- objects ---------------------------------------------------------------
# $(DEPS_STAMP), when the top-level Makefile defines it, installs the tools.

define USER_COMPILE
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(USER_CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@
endef

$(BUILD)/user/lib/%.c.o: user/lib/%.c | $(DEPS_STAMP)
	$(USER_COMPILE)

$(BUILD)/user/lib/%.S.o: user/lib/%.S | $(DEPS_STAMP)
	$(USER_COMPILE)

$(BUILD)/user/shared/%.o: kernel/lib/%.c | $(DEPS_STAMP)
	$(USER_COMPILE)

$(BUILD)/user/obj/bin/%.o: user/bin/%.c | $(DEPS_STAMP)
	$(USER_COMPILE)

$(BUILD)/user/obj/tests/%.o: user/tests/%.c | $(DEPS_STAMP)
	$(USER_COMPILE)

$(BUILD)/user/obj/conf/%.o: tests/conformance/%.c | $(DEPS_STAMP)
	$(USER_COMPILE)

# A program too big for one file keeps its parts in user/NAME/*.c.
$(BUILD)/user/obj/parts/%.o: user/%.c | $(DEPS_STAMP)
	$(USER_COMPILE)
define USER_PARTS
$(BUILD)/user/bin/$(1): $(patsubst user/%.c,$(BUILD)/user/obj/parts/%.o,$(wildcard user/$(1)/*.c))
endef
$(foreach p,$(USER_BIN_NAMES),$(if $(wildcard user/$(p)/*.c),$(eval $(call USER_PARTS,$(p)))))

# --- library and programs -------------------------------------------------

$(USER_LIBC): $(USER_LIB_OBJS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(USER_AR) rcs $@ $^

# libgcc last: 64-bit division for %llu and friends.
define USER_LINK
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(USER_CC) $(USER_LDFLAGS) -o $@ $(filter %.o,$^) $(USER_LIBC) -lgcc
endef

$(USER_BINS): $(BUILD)/user/bin/%: $(BUILD)/user/obj/bin/%.o $(USER_LIBC)
	$(USER_LINK)

$(USER_TESTS): $(BUILD)/user/bin/%: $(BUILD)/user/obj/tests/%.o $(USER_LIBC)
	$(USER_LINK)

$(USER_CONFS): $(BUILD)/user/bin/conf_%: $(BUILD)/user/obj/conf/%.o $(USER_LIBC)
	$(USER_LINK)

# --- static glibc programs ----------------------------------------------
# The cross toolchain's own libc, as any Linux i386 program is built.
GLIBC_CFLAGS ?= -static -O1 -g -Wall -Wextra -Werror -Iuser/glibc

$(GLIBC_BINS): $(BUILD)/user/bin/%: user/glibc/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  GLIBC   $@")
	$(Q)$(USER_CC) $(GLIBC_CFLAGS) -o $@ $<

$(GLIBC_CONFS): $(BUILD)/user/bin/gconf_%: tests/conformance/%.c \
		tests/conformance/conf.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  GLIBC   $@")
	$(Q)$(USER_CC) -static -O1 -Wall -o $@ $<

# --- BusyBox: Debian's binary, not built here ----------------------------
# busybox-static for i386 from the Debian archive, downloaded once and
# cached under $(BUILD) (the .deb is the cache: delete it to refetch).
BUSYBOX_DEB := $(BUILD)/busybox-static_i386.deb
BUSYBOX := $(BUILD)/busybox

$(BUSYBOX_DEB): | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  FETCH   busybox-static:i386 (Debian's binary)"
	$(Q)dpkg --print-foreign-architectures | grep -qx i386 || { \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		$$sudo dpkg --add-architecture i386 && $$sudo apt-get update -qq; }
	$(Q)rm -rf $@.d && mkdir -p $@.d && cd $@.d && \
		apt-get download -qq busybox-static:i386 2>/dev/null
	$(Q)mv $@.d/*.deb $@ && rm -rf $@.d

# Its applets, as links in /usr/bin (after Spoor's own /bin in PATH).
BUSYBOX_APPLETS := sh ash ls cat echo ps test [ expr seq wc sort uniq head \
	tail grep tr cut printf sleep true false env uname id basename \
	dirname pwd

.PHONY: print-busybox-applets
print-busybox-applets:
	@echo $(BUSYBOX_APPLETS)

$(BUSYBOX): $(BUSYBOX_DEB)
	$(Q)rm -rf $@.x && dpkg -x $< $@.x && cp $@.x/bin/busybox $@ && rm -rf $@.x

# --- initramfs ------------------------------------------------------------

# Staged afresh each time so removed programs disappear. Debug info is
# stripped from the copies (the symbol table stays, for symbolising user
# stacks); the unstripped ELFs stay in $(BUILD)/user/bin for gdb.
$(USER_INITRAMFS): $(USER_PROGRAMS) $(BUSYBOX) user/rootfs/etc/motd \
		tests/busybox/script.sh
	@$(if $(Q),echo "  CPIO    $@")
	$(Q)rm -rf $(USER_ROOTFS)
	$(Q)mkdir -p $(USER_ROOTFS)/bin $(USER_ROOTFS)/etc
	$(Q)cp $(USER_PROGRAMS) $(USER_ROOTFS)/bin/
	$(Q)$(USER_STRIP) --strip-debug $(USER_ROOTFS)/bin/*
	$(Q)cp $(BUSYBOX) $(USER_ROOTFS)/bin/busybox
	$(Q)mkdir -p $(USER_ROOTFS)/usr/bin && for a in $(BUSYBOX_APPLETS); do \
		ln -s /bin/busybox "$(USER_ROOTFS)/usr/bin/$$a"; done
	$(Q)cp user/rootfs/etc/motd $(USER_ROOTFS)/etc/motd
	$(Q)cp tests/busybox/script.sh $(USER_ROOTFS)/etc/busybox-test.sh
	$(Q)cd $(USER_ROOTFS) && find bin etc usr | LC_ALL=C sort | \
		cpio -o -H newc -R 0:0 --quiet > $(abspath $@)

user-clean:
	rm -rf $(BUILD)/user $(USER_ROOTFS) $(USER_INITRAMFS)

-include $(shell find $(BUILD)/user -name '*.d' 2>/dev/null)
