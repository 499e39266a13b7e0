/*
 * COM2 as the character device /dev/ttyS1: a raw byte line for a
 * debugger on the host (the gdbstub program speaks GDB's protocol over
 * it), next to the console on COM1.  No line discipline at all: every
 * byte goes through unchanged both ways.
 *
 * Receive is interrupt driven (IRQ 3): the handler moves bytes from
 * the UART into a ring that readers drain; a full ring drops new bytes
 * (GDB's protocol retransmits what was lost).  Transmit is polled,
 * byte by byte, as the console's is.
 */
#include <asm/io.h>
#include <asm/irq.h>
#include <asm/uaccess.h>
#include <asm/uart.h>
#include <asm/x86.h>
#include <spoor/compiler.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/printk.h>
#include <spoor/sched.h>
#include <spoor/string.h>

#define SERIAL_PATH	"/dev/ttyS1"
#define SERIAL_CHUNK	256	/* bytes moved per copy */

static char rx_buf[PIPE_SIZE];
static struct pipe_ring rx = { .buf = rx_buf };

/* Interrupt context: take every byte the UART holds. */
static void serial_interrupt(void)
{
	char *p;

	while (inb(COM2 + UART_LSR) & LSR_DATA_READY) {
		char c = inb(COM2 + UART_DATA);

		/* Read the byte even when it is dropped: it clears the IRQ. */
		if (pipe_ring_write_span(&rx, &p)) {
			*p = c;
			rx.head++;
		}
	}
	wake_up(&rx);
}

/*
 * Take up to @n waiting bytes into @buf, at least one: sleep until one
 * arrives, unless @nonblock (-EAGAIN).  -ERESTARTSYS on a signal.
 */
static ssize_t serial_take(char *buf, size_t n, int nonblock)
{
	uint32_t flags = irq_save();
	size_t got = 0, k;
	char *p;
	int err = 0;

	/* No receive interrupt can come between the test and the sleep. */
	while (!pipe_ring_used(&rx)) {
		err = nonblock ? -EAGAIN : sleep_on(&rx);
		if (err)
			break;
	}
	while (!err && got < n && (k = pipe_ring_read_span(&rx, &p))) {
		k = MIN(k, n - got);
		memcpy(buf + got, p, k);
		rx.tail += k;
		got += k;
	}
	irq_restore(flags);
	return err ? err : (ssize_t)got;
}

/* If the copy to user space faults the bytes are lost: they left the ring. */
static ssize_t serial_read(struct file *f, char *ubuf, size_t n)
{
	char buf[SERIAL_CHUNK];
	ssize_t got;

	if (!n)
		return 0;
	got = serial_take(buf, MIN(n, sizeof(buf)), f->flags & O_NONBLOCK);
	if (got > 0 && copy_to_user(ubuf, buf, got))
		return -EFAULT;
	return got;
}

/* Chunk by chunk; a fault ends the write with what went out so far. */
static ssize_t serial_write(struct file *f, const char *ubuf, size_t n)
{
	char buf[SERIAL_CHUNK];
	size_t done = 0, k, i;

	(void)f;
	while (done < n) {
		k = MIN(n - done, sizeof(buf));
		if (copy_from_user(buf, ubuf + done, k))
			return done ? (ssize_t)done : -EFAULT;
		for (i = 0; i < k; i++)
			uart_tx(COM2, buf[i]);
		done += k;
	}
	return done;
}

static unsigned serial_poll(struct file *f)
{
	(void)f;
	return POLLOUT | (pipe_ring_used(&rx) ? POLLIN : 0);
}

static const struct file_ops serial_ops = {
	.read = serial_read,
	.write = serial_write,
	.poll = serial_poll,
};

/* Every open shares the one line and its ring. */
static int serial_open(struct file **fp)
{
	*fp = file_alloc(&serial_ops, O_RDWR, NULL);
	return *fp ? 0 : -ENOMEM;
}

void serial_init(void)
{
	uart_setup(COM2);
	irq_register(COM2_IRQ, serial_interrupt);
	outb(COM2 + UART_IER, IER_RX);
	irq_unmask(COM2_IRQ);
	if (initramfs_add_device(SERIAL_PATH, serial_open))
		printk("serial: cannot add %s\n", SERIAL_PATH);
}
