package i18n

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Korean particles take one of two forms depending on whether the word
// before them ends in a consonant (its final syllable has a batchim):
// "구글로" but "페이스북으로". A message cannot know which word a
// placeholder will hold, so it writes both, as Korean writers do when they
// cannot know either: "{{.Provider}}(으)로 로그인", "{{.Name}}을(를)".
// Particles resolves each such marker once the message is rendered and the
// word is known, and leaves the marker as written when it cannot tell how
// the word is read.

// particle is one marker and its two forms.
type particle struct {
	marker    string
	lead      int    // bytes of the marker before its "(": 0 for "(을)를", 3 for "을(를)"
	consonant string // after a final consonant
	vowel     string // after a vowel
	// rieulVowel: a final ㄹ takes the vowel form ("서울로", not "서울으로").
	rieulVowel bool
}

// particles are the markers resolved, in both spellings Korean uses: the
// optional part in brackets first ("(을)를") or the consonant form first
// with the vowel form in brackets ("을(를)").
var particles = []particle{
	{marker: "(으)로", consonant: "으로", vowel: "로", rieulVowel: true},
	{marker: "(이)가", consonant: "이", vowel: "가"},
	{marker: "이(가)", lead: 3, consonant: "이", vowel: "가"},
	{marker: "(을)를", consonant: "을", vowel: "를"},
	{marker: "을(를)", lead: 3, consonant: "을", vowel: "를"},
	{marker: "(은)는", consonant: "은", vowel: "는"},
	{marker: "은(는)", lead: 3, consonant: "은", vowel: "는"},
	{marker: "(과)와", consonant: "과", vowel: "와"},
	{marker: "과(와)", lead: 3, consonant: "과", vowel: "와"},
	{marker: "와(과)", lead: 3, consonant: "과", vowel: "와"},
	{marker: "(이)나", consonant: "이나", vowel: "나"},
	{marker: "(이)라", consonant: "이라", vowel: "라"},
	{marker: "(아)야", consonant: "아", vowel: "야"},
}

// ending is how a word sounds at its end.
type ending int

const (
	endUnknown   ending = iota // cannot tell: the marker stays
	endVowel                   // no final consonant
	endRieul                   // final ㄹ
	endConsonant               // any other final consonant
)

// Particles resolves every particle marker in s by the word before it.
// Text without a marker is returned as it is, without allocating.
func Particles(s string) string {
	if !strings.Contains(s, ")") {
		return s
	}
	var b strings.Builder
	done := 0 // s[:done] is already in b
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '(')
		if j < 0 {
			break
		}
		i += j
		p, start, ok := markerAt(s, i, done)
		if !ok {
			i++
			continue
		}
		form := ""
		switch endingBefore(s[:start]) {
		case endVowel:
			form = p.vowel
		case endRieul:
			form = p.consonant
			if p.rieulVowel {
				form = p.vowel
			}
		case endConsonant:
			form = p.consonant
		}
		end := start + len(p.marker)
		if form != "" {
			if b.Len() == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[done:start])
			b.WriteString(form)
			done = end
		}
		i = end
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// markerAt finds a marker whose "(" is at i and which begins no earlier
// than from; start is where it begins.
func markerAt(s string, i, from int) (p particle, start int, ok bool) {
	for _, p := range particles {
		start := i - p.lead
		if start >= from && strings.HasPrefix(s[start:], p.marker) {
			return p, start, true
		}
	}
	return particle{}, 0, false
}

// endingBefore is how the text before a particle ends: its last word,
// past closing quotes, brackets and markup (“구글”(으)로, <b>ID</b>(으)로).
func endingBefore(s string) ending {
	for len(s) > 0 {
		r, size := utf8.DecodeLastRuneInString(s)
		switch {
		case r == '>':
			lt := strings.LastIndexByte(s, '<')
			if lt < 0 {
				return endUnknown
			}
			s = s[:lt]
			continue
		// Not "}": "{name}" is a placeholder a script fills later, whose
		// reading is unknown here.
		case strings.ContainsRune(`"')]’”」』》〉`, r):
			s = s[:len(s)-size]
			continue
		case r >= 0xAC00 && r <= 0xD7A3: // a Hangul syllable
			return syllableEnding(r)
		case r >= '0' && r <= '9':
			return numberEnding(s)
		case r < utf8.RuneSelf && unicode.IsLetter(r):
			return latinEnding(lastLatinWord(s))
		}
		return endUnknown
	}
	return endUnknown
}

// syllableEnding reads a Hangul syllable's batchim from its code point:
// syllables are laid out as (initial×21 + medial)×28 + final from U+AC00,
// final 0 being none and 8 being ㄹ.
func syllableEnding(r rune) ending {
	switch (r - 0xAC00) % 28 {
	case 0:
		return endVowel
	case 8:
		return endRieul
	}
	return endConsonant
}

// digitEndings are the last sounds of the Sino-Korean readings of 0 to 9:
// 영, 일, 이, 삼, 사, 오, 육, 칠, 팔, 구.
var digitEndings = [10]ending{endConsonant, endRieul, endVowel, endConsonant, endVowel,
	endVowel, endConsonant, endRieul, endRieul, endVowel}

// numberEnding reads the number s ends with as Koreans read numerals:
// by its last digit that is not zero, or, for one ending in zeros, by the
// unit those zeros make: 10 십, 100 백, 1000 천, 10 000 만, 10⁸ 억 (all
// with a final consonant), 10¹² 조 (without), 10¹⁶ 경. Thousands
// separators are skipped; the digits after a decimal point are read one
// by one (3.10 삼 점 일영), so there the last digit decides.
func numberEnding(s string) ending {
	i := len(s)
	for i > 0 && (s[i-1] >= '0' && s[i-1] <= '9' || s[i-1] == ',' || s[i-1] == '.') {
		i--
	}
	if i > 0 && s[i-1] < utf8.RuneSelf && unicode.IsLetter(rune(s[i-1])) {
		// Digits inside a Latin name (Auth0, Web3, MP3) are read the
		// English way or the Korean way by custom: unknown.
		return endUnknown
	}
	num := s[i:]
	last := num[len(num)-1]
	if last < '0' || last > '9' {
		return endUnknown
	}
	if strings.IndexByte(strings.Trim(num, ".,"), '.') >= 0 {
		return digitEndings[last-'0']
	}
	num = strings.ReplaceAll(num, ",", "")
	digits := strings.TrimRight(num, "0")
	if digits == "" {
		return digitEndings[0] // 0: 영
	}
	switch zeros := len(num) - len(digits); {
	case zeros == 0:
		return digitEndings[digits[len(digits)-1]-'0']
	case zeros >= 12 && zeros < 16: // 조
		return endVowel
	}
	return endConsonant // 십, 백, 천, 만, 억, 경
}

// lastLatinWord is the run of ASCII letters s ends with.
func lastLatinWord(s string) string {
	i := len(s)
	for i > 0 && (s[i-1] >= 'a' && s[i-1] <= 'z' || s[i-1] >= 'A' && s[i-1] <= 'Z') {
		i--
	}
	return s[i:]
}

// letterEndings: the Korean names of the Latin letters (에이, 비, 씨, …)
// end in a vowel but for L 엘, M 엠, N 엔 and R 알.
func letterEnding(c byte) ending {
	switch c | 0x20 {
	case 'l', 'r':
		return endRieul
	case 'm', 'n':
		return endConsonant
	}
	return endVowel
}

// latinWords are words the spelling rules below would read wrongly, as
// Korean writes them.
var latinWords = map[string]ending{
	"github": endVowel, "hub": endVowel, // 깃허브, 허브
	"gitlab": endConsonant, "lab": endConsonant, "web": endConsonant, "club": endConsonant, // 깃랩, 랩, 웹, 클럽
	"internet": endConsonant, "net": endConsonant, "chat": endConsonant, "cat": endConsonant, // 인터넷, 넷, 챗, 캣
	"bit": endVowel, "type": endConsonant, // 비트, 타입
}

// latinEnding guesses how a Latin-script word is read in Korean, by the
// loanword conventions for its last letters. Initialisms (ID, URL, HTML:
// all capitals, with three letters or fewer or without a vowel, or a
// run of capitals ending a word, as in OpenID) are read by the names of
// their letters. Other words: -m, -n, -ng and a silent-e -me, -ne end in
// ㅁ/ㄴ/ㅇ; -l, -ll, -le in ㄹ; -ck, -k after a vowel and -c after a vowel
// in ㄱ (북, 맥); -p after one short vowel in ㅂ (앱); most other endings
// are written with a vowel (-s 스, -d 드, -r 어, -x 스, -ke 크, …).
//
// Its limits: English spelling does not fix pronunciation. -t and -b
// after a vowel (넷 but 비트, 웹 but 허브), -p after two vowels (그룹 but
// 지프) and -lk (톡, 워크) go either way and are left unknown unless
// latinWords names the word; an all-capitals word of four or more
// letters with a vowel is read as a word (NASA, NAVER), so one meant
// letter by letter may be misread; words from other languages than
// English are read as if English.
func latinEnding(w string) ending {
	if w == "" {
		return endUnknown
	}
	if e, ok := latinWords[strings.ToLower(w)]; ok {
		return e
	}
	// A run of capitals ending a mixed-case word is an initialism: OpenID, iOS.
	caps := len(w)
	for caps > 0 && w[caps-1] >= 'A' && w[caps-1] <= 'Z' {
		caps--
	}
	run := w[caps:]
	switch {
	case caps > 0 && len(run) >= 2:
		return letterEnding(w[len(w)-1])
	case caps == 0 && (len(w) <= 3 || !strings.ContainsAny(w, "AEIOU")):
		return letterEnding(w[len(w)-1])
	case len(w) == 1:
		return letterEnding(w[0])
	}
	return spelledEnding(strings.ToLower(w))
}

func isVowel(c byte) bool { return strings.IndexByte("aeiouy", c) >= 0 }

// spelledEnding reads a lower-case word by its last letters (see
// latinEnding).
func spelledEnding(w string) ending {
	n := len(w)
	last := w[n-1]
	prev := byte(0)
	if n >= 2 {
		prev = w[n-2]
	}
	prev2 := byte(0)
	if n >= 3 {
		prev2 = w[n-3]
	}
	switch last {
	case 'a', 'i', 'o', 'u', 'y', 'w', 'r', 's', 'x', 'z', 'f', 'v', 'd', 'h', 'g':
		if last == 'g' && prev == 'n' {
			return endConsonant // -ng: 링
		}
		return endVowel
	case 'm', 'n':
		return endConsonant
	case 'l':
		return endRieul
	case 'e':
		switch {
		case prev == 'l':
			return endRieul // -ble, -gle, -ple, -ile: 테이블, 구글, 애플, 파일
		case prev == 'm' || prev == 'n':
			return endConsonant // -me, -ne: 게임, 폰
		case prev == 'p':
			return endUnknown // 타입 but 스카이프
		}
		return endVowel // free 프리, make 메이크, site 사이트, code 코드
	case 'k':
		switch {
		case prev == 'c':
			return endConsonant // -ck: 백
		case prev == 'o' && prev2 == 'o':
			return endConsonant // -ook: 북, 룩
		case isVowel(prev) && !isVowel(prev2):
			return endConsonant // -ak, -ok after a consonant: 톡
		case isVowel(prev):
			return endUnknown // -eak, -eek: 스피크
		case prev == 'l':
			return endUnknown // 톡 but 워크
		}
		return endVowel // -nk, -sk, -rk: 링크, 데스크, 워크
	case 'c':
		if isVowel(prev) {
			return endConsonant // 맥, 뮤직
		}
		return endVowel // 아크
	case 'p':
		switch {
		case isVowel(prev) && !isVowel(prev2):
			return endConsonant // 앱, 숍, 칩
		case prev == 'p':
			return endConsonant // app: 앱
		case isVowel(prev):
			return endUnknown // 그룹 but 지프
		}
		return endVowel // 램프, 헬프
	case 't', 'b':
		if isVowel(prev) || prev == last {
			return endUnknown // 넷 but 비트, 웹 but 허브
		}
		if last == 'b' && prev == 'm' {
			return endConsonant // -mb: 램
		}
		return endVowel // 테스트, 포인트
	}
	return endUnknown
}
