package macro

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/azlforge/azldev/internal/testutil"
)

// Expected values below were recorded with rpm 4.18 (`rpm --eval`, with
// RPM_CONFIGDIR=/work/shared/conformance/rpmconfig where the build-root
// configuration matters); tests never call rpm.

var (
	testBaseOnce sync.Once
	testBase     *Base
	testBaseErr  error
)

// hermeticBase loads testdata/config.
func hermeticBase(t testing.TB) *Base {
	t.Helper()
	testBaseOnce.Do(func() {
		testBase, testBaseErr = Load(context.Background(), Config{ConfigDir: "testdata/config"})
	})
	if testBaseErr != nil {
		t.Fatal(testBaseErr)
	}
	return testBase
}

func expand(t *testing.T, b *Base, in string) (string, error) {
	t.Helper()
	c := b.NewContext(Options{})
	defer c.Close()
	return c.Expand(context.Background(), in)
}

type evalCase struct {
	in, want string
	err      string // substring of the expected error, if any
}

func runCases(t *testing.T, b *Base, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		got, err := expand(t, b, tc.in)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want one containing %q", tc.in, err, tc.err)
			}
		case err != nil:
			t.Errorf("%q: %v", tc.in, err)
		case got != tc.want:
			t.Errorf("%q = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestExpandCore(t *testing.T) {
	runCases(t, hermeticBase(t), []evalCase{
		{in: "%%x %%%%", want: "%x %%"},
		{in: "%define op() O:%1\n%define v V\n%{op %%v}|%{op %{quote:%%v}}", want: "\n\nO:%v|O:%v"},
		{in: "%define op() O:%1\n%global gl %{op %1}\n[%{gl}]", want: "\n\n[O:%1]"},
		{in: "%nope", want: "%nope"},
		{in: "%{nope}", want: "%{nope}"},
		{in: "%{nope:xx}", want: "%{nope:xx}"},
		{in: "%{?nope:x}%{!?nope:y}", want: "y"},
		{in: "%{!?nope}", want: ""},
		{in: "%{!?fedora}", want: ""},
		{in: "%{?fedora}", want: "43"},
		{in: "%define x 1\n%?x %!?x  %?y", want: "\n1   "},
		{in: "%{?!x:1}", want: "1"},
		{in: "%define x 1\n%{x:foo}", want: "\n1"},
		{in: "%define ab x\n%ab", want: "\nx"},
		{in: "%define x a\\\nb\n[%x]", want: "\n[a\nb]"},
		{in: "%define x   a  b   \n[%x]", want: "\n[a  b]"},
		{in: `%define x a\\b\.c\nd` + "\n%x|", want: "\na\\b.cnd|"},
		{in: "%define x 1\n%define x 2\n%undefine x\n%x", want: "\n\n\n1"},
		{in: "%define 1a x", err: "illegal name"},
		{in: "%global g %{?fedora}\n%{macrobody:g}", want: "\n43"},
		{in: "%{expand:%%{?fedora}}", want: "43"},
		{in: "%{_libdir}", want: "/usr/lib64"},
		{in: "%{basename:/a/b.c} %{dirname:/a/b.c} %{dirname:b}", want: "b.c /a b"},
		{in: "%{suffix:/a/b.tar.gz} %{shrink:  a   b  }", want: "gz a b"},
		{in: "%{url2path:http://x.org/a/b} %{u2p:/p}", want: "/a/b /p"},
		{in: "%{quote:a b}", want: "a b"},
		{in: "%{shescape:a'b}", want: `'a'\''b'`},
		{in: "%{verbose} %{verbose:x}%{?verbose:y}", want: "0 y"},
		{in: "%{dnl:x}y", want: "y"},
		{in: "%dnl comment\nz", want: "z"},
		{in: "%{S:3} %{P:1}", want: "%SOURCE3 %PATCH1"},
		{in: "%{defined fedora}%{undefined fedora}", want: "10"},
		{in: "%{error:boom}", err: "boom"},
		{in: "%{uncompress}", err: "argument expected"},
		{in: "%{len:abc} %{upper:abc} %{reverse:abc} %{gsub aaa a b}", want: "3 ABC cba bbb"},
		{in: "%{sub abcdef 2 -2} %{sub 0123 2} %{rep ab 2} %{gsub aaa a b 0x2}", want: "bcde 123 abab bba"},
	})
}

func TestParametric(t *testing.T) {
	runCases(t, hermeticBase(t), []evalCase{
		{in: "%define f(ab:) [%0|%*|%**|%#|%{-a}|%{-b}|%{-b*}|%{?-a:A}|%{!?-b:nob}|%1|%2]\n%f -a x y",
			want: "\n[f|x y|-a x y|2|-a|||A|nob|x|y]"},
		{in: "%define f(ab:) [%*|%**|%#|%{-a}|%{-b*}]\n%f x -a y", want: "\n[x y|x -a y|2|-a|]"},
		{in: "%define f(ab:) [%*|%#|%{-a}|%{-b*}]\n%{f -b 3 q}", want: "\n[q|1||3]"},
		{in: "%define f(a) [%*]\n%f -z", err: "Unknown option z in f(a)"},
		{in: "%define f(-) [%*|%#]\n%f -z 1", want: "\n[-z 1|2]"},
		{in: "%define f(a) %define l 1\n%f\n%{?l:L}", want: "\n\n"},
		{in: "%define f(a) %global l 1\n%f\n%{?l:L}", want: "\n\nL"},
		{in: "%define f(a) X%1Y\n%f\n%{f}.%{f a}", want: "\nX%1Y\nX%1Y.X%1Y"},
		{in: "%define g() <%1>\n%{g %{?fedora}}", want: "\n<43>"},
		{in: "%define f(a) <%-a><%-a*>\n%f -a", want: "\n<-a><>"},
		{in: "%define f(a:) <%-a><%-a*>\n%f -a q", want: "\n<-a q><q>"},
		{in: "%define f(q) %{!-q:notq}%{-q:isq}\n%f %f -q", want: "\nnotq"},
		{in: "%define f() [%1|%2]\n%f %{quote:a b} c", want: "\n[a b|c]"},
		{in: "%define q(a) A%{**}B\n%{q -a  x   y}", want: "\nA-a x yB"},
		{in: "%bcond foo 1\n%{with foo}%{with bar}", want: "\n10"},
	})
}

func TestExpressions(t *testing.T) {
	runCases(t, hermeticBase(t), []evalCase{
		{in: `%[1 && 2]`, want: "2"},
		{in: `%[0 || "a"]`, err: "types must match"},
		{in: `%["a" + "b"]`, want: "ab"},
		{in: `%[1 + "b"]`, err: "types must match"},
		{in: `%[v"1.2" < v"1.10"] %[v"1.2"]`, want: "1 1.2"},
		{in: `%[3/0]`, err: "division by zero"},
		{in: `%[7/2] %[-7/2] %[1+2*3] %[(1+2)*3] %[ 010 ] %[-1]`, want: "3 -3 7 9 10 -1"},
		{in: `%[1 ? 2 : 3] %[!"a"] %[!""] %["a" < "b"] %["ab" > "a"]`, want: "2 0 1 1 1"},
		{in: `%[foo]`, err: "bare words"},
		{in: `%[0%{?fedora} > 3] %[%{?fedora}] %[%{?nope}] %[%{?nope}1]`, want: "1 43 0 1"},
		{in: `%[%{?nope} == ""]`, err: "types must match"},
		{in: `%[1 == 1 ? "a" : 3]`, err: "types must match"},
		{in: `%[ "%{?nope}" ]`, want: ""},
		{in: `%{expr:1+2}`, want: "3"},
		{in: `%[0 && 1/0] %[1 || 1/0]`, want: "0 1"},
	})
}

func TestLua(t *testing.T) {
	runCases(t, hermeticBase(t), []evalCase{
		{in: "%{lua:print(1)}x", want: "1x"},
		{in: "%{lua:print(1,2)}x", want: "1\t2x"},
		{in: "%{lua:print(\"a\\n\")}x", want: "a\nx"},
		{in: `%{lua:print(rpm.isdefined("fedora"))}`, want: "true\tfalse"},
		{in: "%{lua:print(macros.fedora, macros.nope)}", want: "43\tnil"},
		{in: `%{lua:print(rpm.expand("%{undefined_x}"))}`, want: "%{undefined_x}"},
		{in: `%{lua:error("boom")}`, err: "boom"},
		{in: "%{lua:x=5}%{lua:print(x)}", want: "5"},
		{in: `%{lua: print(rpm.ver("1:2.3-4").v)}`, want: "2.3"},
		{in: `%{lua: rpm.define("dd 7")}%{dd}`, want: "7"},
		{in: `%{lua: print(rpm.vercmp("1.0", "1.0~rc1"))}`, want: "1"},
		{in: "%{multi a b c}", want: "a,b,c"},
		{in: "%{greet}|%{greet you}", want: "hello world|hello you"},
		{in: `%{lua: for w in string.gmatch("a-b", "[^-]+") do print(w) end}`, want: "ab"},
		{in: `%{lua: print(math.tointeger("12"))}`, want: "12"},
	})
}

func TestShell(t *testing.T) {
	runCases(t, hermeticBase(t), []evalCase{
		{in: "%(echo hi; echo there)", want: "hi\nthere"},
		{in: `%(printf "a\n\n\n")x`, want: "ax"},
		{in: "%(c=0123456789abc; echo ${c:0:7})", want: "0123456"},
		{in: "%(echo 2.28.4 | cut -d. -f1-2)", want: "2.28"},
		{in: "%(echo 1.2~rc1 | tr '~' '.')", want: "1.2.rc1"},
		{in: `%(echo 46.2.1 | awk -F. '{print $1"."$2}')`, want: "46.2"},
		{in: `%(echo 3.50.2 | awk -F. '{printf "%d%02d%02d00", $1, $2, $3}')`, want: "3500200"},
		{in: `%(printf '1 2
3 4
' | awk '{printf("%s-%s;", $2, $1)}')`, want: "2-1;4-3;"},
		{in: `%(eval echo 2.41.3 | sed -e 's/\([[:digit:]]*\)\.\([[:digit:]]*\)\.[[:digit:]]*$/\1.\2/')`, want: "2.41"},
		{in: `%(eval 'x=1; echo $x')`, want: "1"},
		{in: `%(echo release-48 | grep -qE 'alpha|beta|final'; echo $?)`, want: "1"},
		{in: `%(printf 'a1\nb2\nA3\n' | grep -i a)|%(printf 'a1\nb2\n' | grep -vc 'a')|%(echo a.b | grep -F -x a.b)`, want: "a1\nA3|1|a.b"},
		{in: `%(echo ab | grep 'a\(b\)')|%(echo x | grep y || echo none)`, want: "ab|none"},
		{in: "%(echo -O2 -g -x | sed -e 's/-g /-g1 /')", want: "-O2 -g1 -x"},
		{in: "%(v=1.2.3; echo ${v%.*})", want: "1.2"},
		{in: `%(t="ABC";echo ${t,,})`, want: "abc"},
		{in: "%(tr . _ <<< 1.2.3)", want: "1_2_3"},
		{in: "%(echo $((64+2)))", want: "66"},
		{in: "%( printf '%08d' 1 )", want: "00000001"},
		{in: "%(pkg-config --modversion gtk4 2>/dev/null || echo bad)", want: "bad"},
		{in: "%(svn=1.0.0; for i in 1 2 3 ; do svn=${svn%%.0} ; done; echo $svn)", want: "1"},
		{in: `%(if [ "a" = "a" ]; then echo yes; else echo no; fi)`, want: "yes"},
		{in: "%(echo '1.2^git' | cut -d '^' -f 1)", want: "1.2"},
	})
}

func TestPosixShellRejectsBashisms(t *testing.T) {
	c := hermeticBase(t).NewContext(Options{PosixShell: true})
	defer c.Close()
	got, err := c.Expand(context.Background(), "%(c=0123456789; echo ${c:0:7})")
	if err != nil || got != "" {
		t.Fatalf("got %q, %v; want empty output as dash gives", got, err)
	}
}

func TestVercmp(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"1.0", "1.0", 0}, {"1.0", "2.0", -1}, {"2.0", "1.0", 1}, {"1.10", "1.9", 1},
		{"1.0~rc1", "1.0", -1}, {"1.0^git1", "1.0", 1}, {"1.0^git1", "1.0.1", -1},
		{"1.0a", "1.0", 1}, {"1a", "1.0", -1}, {"001", "1", 0}, {"1.0", "1_0", 0},
		{"~~", "~", -1}, {"1.0~rc1", "1.0~rc2", -1},
	} {
		if got := Vercmp(tc.a, tc.b); got != tc.want {
			t.Errorf("Vercmp(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestConformanceConfig checks values recorded with rpm and the build-root
// configuration (../shared/conformance/rpmconfig).
func TestConformanceConfig(t *testing.T) {
	conformanceConfig := testutil.SharedDir(t, "conformance/rpmconfig")
	b, err := Load(context.Background(), Config{ConfigDir: conformanceConfig})
	if err != nil {
		t.Fatal(err)
	}
	runCases(t, b, []evalCase{
		{in: "%dist", want: ".azl4"},
		{in: "%{?fedora} %{_arch} %{_libdir} %{optflags}", want: "43 x86_64 /usr/lib64 -O2 -g"},
		{in: "%{pypi_source foo 1.0}", want: "https://files.pythonhosted.org/packages/source/f/foo/foo-1.0.tar.gz"},
		{in: "%{crates_source}", want: "https://crates.io/api/v1/crates/%name/%version/download#/%name-%version.crate"},
		{in: "%{_target_platform} %{_vendor}", want: "x86_64-azurelinux-linux-gnu azurelinux"},
		{in: "%{autorelease} %{autorelease -b 3 -e rc1}", want: "1.azl4 3.rc1.azl4"},
		{in: "%{python3_pkgversion} %{py_dist_name Foo.Bar}", want: "3 foo-bar"},
		{in: "%__cflags_arch_x86_64_level|%{build_cflags}", want: "|-O2 -g  "},
		{in: "%{getconfdir}", want: conformanceConfig},
	})
}

func TestConcurrentContexts(t *testing.T) {
	b := hermeticBase(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := b.NewContext(Options{})
			defer c.Close()
			want := formatInt(int64(i))
			got, err := c.Expand(context.Background(), "%global n "+want+"\n%{lua:print(rpm.expand('%n'))}%{greet}")
			if err != nil || got != "\n"+want+"hello world" {
				t.Errorf("got %q, %v", got, err)
			}
		}()
	}
	wg.Wait()
}

func TestCancelledContext(t *testing.T) {
	c := hermeticBase(t).NewContext(Options{})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Expand(ctx, "%{lua: while true do end}")
	if err == nil {
		t.Fatal("infinite loop did not stop")
	}
}
