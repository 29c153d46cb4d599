package i18n

import "testing"

func TestParticles(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		// The login buttons, by the names providers are configured with.
		{"Local ID(으)로 로그인", "Local ID로 로그인"},
		{"Auth0(으)로 로그인", "Auth0(으)로 로그인"},
		{"Web3(이)가", "Web3(이)가"},
		{"2026(으)로", "2026으로"},
		{"Google(으)로 로그인", "Google로 로그인"},
		{"Facebook(으)로 로그인", "Facebook으로 로그인"},
		{"Kakao(으)로 로그인", "Kakao로 로그인"},
		{"Naver(으)로 로그인", "Naver로 로그인"},
		{"X(으)로 로그인", "X로 로그인"},
		{"GitHub(으)로 로그인", "GitHub로 로그인"},
		{"OpenID Connect(으)로 로그인", "OpenID Connect로 로그인"},
		{"구글(으)로 로그인", "구글로 로그인"},
		{"페이스북(으)로 로그인", "페이스북으로 로그인"},
		{"카카오(으)로 로그인", "카카오로 로그인"},
		{"네이버(으)로 로그인", "네이버로 로그인"},

		// Hangul: the batchim from the syllable's code point, ㄹ apart for 로.
		{"서울(으)로", "서울로"},
		{"부산(으)로", "부산으로"},
		{"대구(으)로", "대구로"},
		{"김민준(이)가", "김민준이"},
		{"이서연(이)가", "이서연이"},
		{"박지우(이)가", "박지우가"},
		{"정치(을)를", "정치를"},
		{"경제(을)를", "경제를"},
		{"사설(을)를", "사설을"},
		{"국제(은)는", "국제는"},
		{"문화(은)는", "문화는"},
		{"스포츠(은)는", "스포츠는"},
		{"오피니언(은)는", "오피니언은"},
		{"사람(과)와", "사람과"},
		{"나무(과)와", "나무와"},
		{"물(과)와", "물과"},
		{"책(이)나", "책이나"},
		{"신문(이)나", "신문이나"},
		{"커피(이)나", "커피나"},
		{"민준(아)야", "민준아"},
		{"지우(아)야", "지우야"},
		{"길(아)야", "길아"},

		// Digits, read in Sino-Korean: 일 칠 팔 end in ㄹ, 영 삼 육 in
		// another consonant; tens, hundreds… by their unit.
		{"버전 1(으)로", "버전 1로"},
		{"버전 2(으)로", "버전 2로"},
		{"버전 3(으)로", "버전 3으로"},
		{"버전 6(으)로", "버전 6으로"},
		{"버전 7(으)로", "버전 7로"},
		{"버전 8(으)로", "버전 8로"},
		{"버전 9(으)로", "버전 9로"},
		{"버전 0(으)로", "버전 0으로"},
		{"10(이)가", "10이"},
		{"12(이)가", "12가"},
		{"100(을)를", "100을"},
		{"1,000(을)를", "1,000을"},
		{"10000(은)는", "10000은"},
		{"1000000000000(은)는", "1000000000000는"},
		{"3.5(으)로", "3.5로"},
		{"3.10(으)로", "3.10으로"},
		{"2026(은)는", "2026은"},

		// Latin letters by their Korean names, initialisms letter by letter.
		{"L(으)로", "L로"},
		{"M(으)로", "M으로"},
		{"N(이)가", "N이"},
		{"R(을)를", "R을"},
		{"A(이)가", "A가"},
		{"URL(을)를", "URL을"},
		{"HTML(으)로", "HTML로"},
		{"IBM(과)와", "IBM과"},
		{"KBS(과)와", "KBS와"},
		{"iOS(을)를", "iOS를"},
		{"OpenID(으)로", "OpenID로"},
		{"NASA(이)가", "NASA가"},
		{"NAVER(으)로", "NAVER로"},

		// Words, by the loanword conventions for their last letters.
		{"Team(이)가", "Team이"},
		{"Chrome(으)로", "Chrome으로"},
		{"iPhone(으)로", "iPhone으로"},
		{"Kotlin(으)로", "Kotlin으로"},
		{"Ring(을)를", "Ring을"},
		{"Gmail(으)로", "Gmail로"},
		{"Apple(이)가", "Apple이"},
		{"Table(은)는", "Table은"},
		{"Mac(으)로", "Mac으로"},
		{"app(으)로", "app으로"},
		{"Shop(이)나", "Shop이나"},
		{"Desk(으)로", "Desk로"},
		{"Link(을)를", "Link를"},
		{"News(와)과", "News(와)과"}, // not a marker: the forms are the other way round
		{"News(과)와", "News와"},
		{"Twitter(으)로", "Twitter로"},
		{"Android(으)로", "Android로"},
		{"YouTube(으)로", "YouTube로"},
		{"Lamp(을)를", "Lamp를"},
		{"Test(을)를", "Test를"},
		{"Internet(으)로", "Internet으로"},

		// Unknown: the marker stays rather than a bad guess.
		{"Robot(으)로", "Robot(으)로"}, // 로봇, but 비트 for bit
		{"Group(으)로", "Group(으)로"}, // 그룹, but 지프 for jeep
		{"Skype(으)로", "Skype(으)로"}, // 스카이프, but 타입 for type
		{"東京(으)로", "東京(으)로"},
		{"(으)로 시작", "(으)로 시작"},
		{"… (으)로", "… (으)로"},

		// Past quotes, brackets and markup to the word.
		{"“정치”(으)로 시작하는", "“정치”로 시작하는"},
		{"“경제면”(으)로 시작하는", "“경제면”으로 시작하는"},
		{"'Kakao'(으)로", "'Kakao'로"},
		{"<b>페이스북</b>(으)로", "<b>페이스북</b>으로"},
		{"(정치)(을)를", "(정치)를"},

		// The other spelling: the consonant form first, the vowel form in brackets.
		{"출처은(는) 120자까지", "출처는 120자까지"},
		{"대체 텍스트은(는) 한 줄로", "대체 텍스트는 한 줄로"},
		{"캡션을(를) 입력해 주세요.", "캡션을 입력해 주세요."},
		{"제목을(를) 입력해 주세요.", "제목을 입력해 주세요."},
		{"Kim Min-ji을(를) 추가했습니다.", "Kim Min-ji를 추가했습니다."},
		{"Park Jun-ho은(는)", "Park Jun-ho는"},
		{"Lee Seung-hoon은(는)", "Lee Seung-hoon은"},
		{"버전 3과(와) 다른 점", "버전 3과 다른 점"},
		{"버전 2과(와) 다른 점", "버전 2와 다른 점"},
		{"서울와(과) 부산", "서울과 부산"},
		{"정치이(가) 먼저", "정치가 먼저"},
		{"국가(이)라는", "국가라는"},
		{"국민(이)라는", "국민이라는"},

		// A placeholder a script fills later is not read.
		{"{name}을(를) 앞으로", "{name}을(를) 앞으로"},
		{"버전 {theirs}이(가) 저장되었습니다", "버전 {theirs}이(가) 저장되었습니다"},

		// Several markers, each by its own word; text without any is untouched.
		{"민준(이)가 서울(으)로, 서연(은)는 부산(으)로", "민준이 서울로, 서연은 부산으로"},
		{"댓글 (0/250자)", "댓글 (0/250자)"},
		{"no markers at all", "no markers at all"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Particles(tt.in); got != tt.want {
			t.Errorf("Particles(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Every message goes through Particles: the login button's marker is
// resolved by the provider's name the data puts before it.
func TestTranslatorT_resolvesParticles(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	ko := c.For("ko")
	for provider, want := range map[string]string{
		"Local ID": "Local ID로 로그인",
		"구글":       "구글로 로그인",
		"페이스북":     "페이스북으로 로그인",
		"카카오":      "카카오로 로그인",
		"네이버":      "네이버로 로그인",
	} {
		if got := ko.T("login_with", "Provider", provider); got != want {
			t.Errorf("login_with %q = %q, want %q", provider, got, want)
		}
	}
}

// A message without markers costs no allocation in Particles.
func TestParticles_noMarkerNoAllocation(t *testing.T) {
	s := "국제 뉴스 (0/250자) and more"
	if n := testing.AllocsPerRun(100, func() { _ = Particles(s) }); n != 0 {
		t.Errorf("got %v allocations, want 0", n)
	}
}

func BenchmarkParticles(b *testing.B) {
	for _, s := range []string{"Facebook(으)로 로그인", "오늘의 주요 뉴스"} {
		b.Run(s, func(b *testing.B) {
			for b.Loop() {
				_ = Particles(s)
			}
		})
	}
}

// Plural messages take their form from the count by each language's
// rules (English one and other, Korean other only); data given beside
// the count does not disturb the choice.
func TestTranslatorN_pluralFormsAndData(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 0, "0 articles"},
		{"en", 1, "1 article"},
		{"en", 2, "2 articles"},
		{"ko", 1, "기사 1건"},
		{"ko", 2, "기사 2건"},
	} {
		if got := c.For(tt.lang).N("article_count", tt.n, "Unused", "x"); got != tt.want {
			t.Errorf("%s N(article_count, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}
