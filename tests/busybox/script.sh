# The BusyBox layer: run by Debian's busybox ash on Spoor (/bin/bbscript)
# and under qemu-i386 on the host; the outputs must be the same.
for i in $(seq 3); do echo $i; done | sort -r
echo "a b c" | wc -w
printf '%s\n' x y x z | sort | uniq -c
expr 3 + 4
expr 7 \* 6
test 3 -gt 2 && echo yes
[ -z "" ] && echo empty
seq 10 | head -3
seq 5 | tail -2
echo hello | grep -c ell
printf 'b\na\nc\n' | sort | head -1
echo one two three | cut -d' ' -f2
echo abc | tr a-c A-C
cd /bin && pwd
echo $((6*7))
f() { echo "in f: $1"; return 3; }
f arg; echo "status $?"
(exit 4); echo "subshell $?"
basename /a/b/c.txt .txt
dirname /a/b/c.txt
false || echo "false failed"
true && echo "true ok"
x=$(echo nested $(echo deep)); echo "$x"
