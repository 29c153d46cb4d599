package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// speechRecorder stands in for the browser's voice, before the page's own
// scripts run: headless Chromium may have no voices and never end an
// utterance. speak keeps the utterance in window.spoken, so that the test
// ends each one when it likes (advance); pause, resume and cancel are noted
// in window.synthCalls.
const speechRecorder = `(() => {
	const s = window.speechSynthesis;
	if (!s) return;
	window.spoken = [];
	window.synthCalls = [];
	s.speak = u => { window.spoken.push(u); };
	for (const m of ["pause", "resume", "cancel"]) s[m] = () => { window.synthCalls.push(m); };
})()`

// noSpeech takes speech synthesis away, as in a browser without it.
const noSpeech = `delete window.speechSynthesis; Object.defineProperty(window, "speechSynthesis", {value: undefined});`

// listenState is what the reader sees of the control and hears, and what
// is highlighted.
type listenState struct {
	Shown     []string // the control's buttons shown, by class
	StartName string   // the Listen button's accessible name (its aria-label)
	StartText string
	PauseText string
	Spoken    []string // each utterance's text
	Lang      string   // the last utterance's language
	Highlight []string // the ranges of the listen-sentence highlight
	Calls     []string // pause, resume, cancel
}

const listenStateJS = `(() => {
	const b = c => document.querySelector(".listen ." + c);
	const h = window.CSS && CSS.highlights && CSS.highlights.get("listen-sentence");
	const spoken = window.spoken || [];
	return {
		Shown: ["listen-start", "listen-pause", "listen-stop"].filter(c => b(c) && b(c).checkVisibility({visibilityProperty: true})),
		StartName: b("listen-start") ? b("listen-start").getAttribute("aria-label") : "",
		StartText: b("listen-start") ? b("listen-start").textContent : "",
		PauseText: b("listen-pause") ? b("listen-pause").textContent : "",
		Spoken: spoken.map(u => u.text),
		Lang: spoken.length ? spoken[spoken.length - 1].lang : "",
		Highlight: h ? [...h].map(r => r.toString()) : [],
		Calls: window.synthCalls || [],
	};
})()`

func listenNow(t *testing.T, ctx context.Context) listenState {
	t.Helper()
	return eval[listenState](t, ctx, listenStateJS)
}

// advance ends the utterance being spoken, as the voice would.
func advance(t *testing.T, ctx context.Context) {
	t.Helper()
	eval[bool](t, ctx, `(window.spoken[window.spoken.length - 1].dispatchEvent(new Event("end")), true)`)
}

// highlightInView waits until the highlighted sentence has been scrolled
// into the viewport (smoothly, so it takes a moment).
func highlightInView(t *testing.T, ctx context.Context) {
	t.Helper()
	const inView = `(() => {
		const h = CSS.highlights.get("listen-sentence");
		const r = h && [...h][0].getBoundingClientRect();
		return !!r && r.top >= 0 && r.bottom <= innerHeight;
	})()`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](inView)); err != nil {
		t.Fatalf("the highlighted sentence was not scrolled into view: %v", err)
	}
}

// listenTab is a tab whose pages run script before their own.
func listenTab(t *testing.T, width int64, script string) context.Context {
	t.Helper()
	ctx := newTab(t)
	do(t, ctx, chromedp.EmulateViewport(width, 800))
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script}); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// TestListen_readsTheArticleSentenceBySentence presses Listen on an
// article: the headline is spoken first, in English, and highlighted;
// each sentence the voice ends moves the speech and the highlight to the
// next; Pause, Resume and Stop do what they say, and Stop clears the
// highlight. Pressing Listen again starts over.
func TestListen_readsTheArticleSentenceBySentence(t *testing.T) {
	ctx := listenTab(t, 1280, speechRecorder)
	story := topStory(t, ctx)
	open(t, ctx, story.Path)
	headline := eval[string](t, ctx, `document.querySelector(".article-header h1").textContent.trim()`)

	s := listenNow(t, ctx)
	if fmt.Sprint(s.Shown) != "[listen-start]" || s.StartText != "Listen" || s.StartName != "Listen to the article" {
		t.Fatalf("before reading: buttons shown %v, Listen reads %q named %q; want only Listen, named Listen to the article", s.Shown, s.StartText, s.StartName)
	}

	do(t, ctx, chromedp.Click(".listen-start"))
	s = listenNow(t, ctx)
	if len(s.Spoken) != 1 || s.Spoken[0] != headline || s.Lang != "en" {
		t.Fatalf("after Listen: spoken %q in %q, want the headline %q in en", s.Spoken, s.Lang, headline)
	}
	if fmt.Sprint(s.Highlight) != fmt.Sprint([]string{headline}) {
		t.Errorf("after Listen: highlight %q, want the headline %q", s.Highlight, headline)
	}
	if fmt.Sprint(s.Shown) != "[listen-pause listen-stop]" || s.PauseText != "Pause" {
		t.Errorf("while reading: buttons shown %v, the first reading %q; want Pause and Stop", s.Shown, s.PauseText)
	}
	if focused := eval[string](t, ctx, `document.activeElement.className`); focused != "listen-pause" {
		t.Errorf("while reading: focus on %q, want the Pause button", focused)
	}

	// The voice ends sentences: the next is spoken and highlighted, and
	// each is one sentence of the article's text.
	for i := 1; i < 4; i++ {
		advance(t, ctx)
		s = listenNow(t, ctx)
		if len(s.Spoken) != i+1 {
			t.Fatalf("after %d sentences ended: %d spoken, want %d", i, len(s.Spoken), i+1)
		}
		next := s.Spoken[i]
		if next == "" || next == s.Spoken[i-1] {
			t.Errorf("sentence %d: %q, want the one after %q", i+1, next, s.Spoken[i-1])
		}
		if fmt.Sprint(s.Highlight) != fmt.Sprint([]string{next}) {
			t.Errorf("sentence %d: highlight %q, want %q", i+1, s.Highlight, next)
		}
	}
	body := eval[string](t, ctx, `document.querySelector(".article-header").textContent + document.querySelector(".article-body").textContent`)
	for _, sentence := range s.Spoken {
		if !containsSpaced(body, sentence) {
			t.Errorf("spoken %q, which is not in the article's text", sentence)
		}
	}
	if n := eval[int](t, ctx, `document.querySelectorAll(".article-body mark, .article-body span").length`); n != 0 {
		t.Errorf("reading changed the article's markup: %d mark or span elements in its body", n)
	}
	highlightInView(t, ctx)
	viewScreenshot(t, ctx, "listen-reading-1280")

	do(t, ctx, chromedp.Click(".listen-pause"))
	if s = listenNow(t, ctx); s.PauseText != "Resume" || fmt.Sprint(s.Calls[len(s.Calls)-1:]) != "[pause]" {
		t.Errorf("after Pause: the button reads %q, last calls %q; want Resume, and pause called", s.PauseText, s.Calls)
	}
	do(t, ctx, chromedp.Click(".listen-pause"))
	if s = listenNow(t, ctx); s.PauseText != "Pause" || fmt.Sprint(s.Calls[len(s.Calls)-1:]) != "[resume]" {
		t.Errorf("after Resume: the button reads %q, last calls %q; want Pause, and resume called", s.PauseText, s.Calls)
	}

	spoken := len(s.Spoken)
	do(t, ctx, chromedp.Click(".listen-stop"))
	s = listenNow(t, ctx)
	if len(s.Highlight) != 0 || fmt.Sprint(s.Calls[len(s.Calls)-1:]) != "[cancel]" || fmt.Sprint(s.Shown) != "[listen-start]" {
		t.Errorf("after Stop: highlight %q, last calls %q, buttons %v; want no highlight, cancel called, only Listen", s.Highlight, s.Calls, s.Shown)
	}
	if focused := eval[string](t, ctx, `document.activeElement.className`); focused != "listen-start" {
		t.Errorf("after Stop: focus on %q, want the Listen button", focused)
	}
	// The cancelled utterance's end, if the voice sends one, changes nothing.
	advance(t, ctx)
	if s = listenNow(t, ctx); len(s.Spoken) != spoken || len(s.Highlight) != 0 {
		t.Errorf("an end after Stop: %d spoken and highlight %q, want still %d and none", len(s.Spoken), s.Highlight, spoken)
	}

	do(t, ctx, chromedp.Click(".listen-start"))
	if s = listenNow(t, ctx); s.Spoken[len(s.Spoken)-1] != headline || fmt.Sprint(s.Highlight) != fmt.Sprint([]string{headline}) {
		t.Errorf("Listen again: spoke %q and highlighted %q, want the headline again", s.Spoken[len(s.Spoken)-1], s.Highlight)
	}
}

// containsSpaced reports whether text holds sentence, whatever the white
// space between their words (the body's paragraphs are apart by new lines).
func containsSpaced(text, sentence string) bool {
	squash := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	return sentence != "" && strings.Contains(squash(text), squash(sentence))
}

// TestListen_hiddenWithoutSpeechSynthesis: a browser without speech
// synthesis never shows the control.
func TestListen_hiddenWithoutSpeechSynthesis(t *testing.T) {
	ctx := listenTab(t, 1280, noSpeech)
	story := topStory(t, ctx)
	open(t, ctx, story.Path)
	if shown := eval[bool](t, ctx, `[...document.querySelectorAll(".listen button")].some(b => b.checkVisibility({visibilityProperty: true}))`); shown {
		t.Error("without speech synthesis: a Listen control is shown, want none")
	}
}

// TestListen_koreanAndPhone checks the Korean labels, that an English
// article is read in English from the Korean interface, and how the
// control and the highlight look at 360 and 1280 px, light and dark.
func TestListen_koreanAndPhone(t *testing.T) {
	for _, tt := range []struct {
		width int64
		dark  bool
	}{{360, false}, {360, true}, {1280, false}} {
		name := fmt.Sprintf("listen-ko-%d", tt.width)
		if tt.dark {
			name += "-dark"
		}
		t.Run(name, func(t *testing.T) {
			ctx := listenTab(t, tt.width, speechRecorder)
			if tt.width == 360 {
				do(t, ctx, phone())
			}
			if tt.dark {
				if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
					Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}}); err != nil {
					t.Fatal(err)
				}
			}
			story := topStory(t, ctx)
			open(t, ctx, story.Path+"?lang=ko")
			s := listenNow(t, ctx)
			if s.StartText != "듣기" || s.StartName != "기사 듣기" {
				t.Errorf("Korean: Listen reads %q named %q, want 듣기 named 기사 듣기", s.StartText, s.StartName)
			}
			do(t, ctx, chromedp.Click(".listen-start"))
			viewScreenshot(t, ctx, name+"-top") // the control while reading, the headline highlighted
			// The deck, then into the body: a highlighted sentence there.
			for range 3 {
				advance(t, ctx)
			}
			s = listenNow(t, ctx)
			if s.Lang != "en" || s.PauseText != "일시 정지" || len(s.Highlight) != 1 {
				t.Errorf("Korean, reading: language %q, Pause reads %q, highlight %q; want en, 일시 정지 and one sentence", s.Lang, s.PauseText, s.Highlight)
			}
			highlightInView(t, ctx)
			viewScreenshot(t, ctx, name)
		})
	}
}

// TestListen_axeWhileReading runs axe-core over the article while it is
// read aloud (Pause and Stop shown, a sentence highlighted), which the
// tour of TestReaderSite_axeFindsNoViolations does not reach.
func TestListen_axeWhileReading(t *testing.T) {
	source := axeSource(t)
	for _, s := range []pageState{
		{Page: "article-listening", Lang: "en", Width: 360, Scheme: "light"},
		{Page: "article-listening", Lang: "ko", Width: 1280, Scheme: "dark"},
	} {
		ctx := listenTab(t, s.Width, speechRecorder)
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: s.Scheme}}}); err != nil {
			t.Fatal(err)
		}
		s.Path = topStory(t, ctx).Path
		open(t, ctx, s.Path+"?lang="+s.Lang)
		do(t, ctx, chromedp.Click(".listen-start"))
		advance(t, ctx)
		do(t, ctx, chromedp.Evaluate[chromedp.Void](source))
		for _, v := range runAxe(t, ctx, s) {
			t.Errorf("%s %s: %s (%s) at %s", s.Path, s.view(), v.ID, v.Help, strings.Join(v.Targets, ", "))
		}
	}
}

// TestListen_aWordFromTheDictionaryDuringAReading: the pop-up's Listen
// while the article is read says the word, then the reading goes on from
// the start of the sentence it broke into, instead of ending it; a
// reading that was paused goes on too. Stop still ends everything.
func TestListen_aWordFromTheDictionaryDuringAReading(t *testing.T) {
	ctx := listenTab(t, 1280, speechRecorder)
	// No smooth scrolling to the sentence read, which would move the word
	// between finding it and double-clicking it.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}}); err != nil {
		t.Fatal(err)
	}
	story := topStory(t, ctx)
	open(t, ctx, story.Path)
	do(t, ctx, chromedp.Click(".listen-start"))
	advance(t, ctx)
	advance(t, ctx)
	s := listenNow(t, ctx)
	sentence := s.Spoken[len(s.Spoken)-1]

	do(t, ctx, chromedp.Click(".listen-pause")) // paused when the word is asked for
	do(t, ctx, chromedp.Click(".dictionary-toggle"))
	doubleClick(t, ctx, findWord(t, ctx, "negotiators", false))
	waitForDefinitions(t, ctx)
	do(t, ctx, chromedp.Click(".dict-popup-listen"))
	s = listenNow(t, ctx)
	if last := s.Spoken[len(s.Spoken)-1]; last != "negotiator" {
		t.Fatalf("after the word's Listen: last spoken %q, want negotiator", last)
	}
	if fmt.Sprint(s.Shown) != "[listen-pause listen-stop]" || s.PauseText != "Pause" {
		t.Errorf("while the word is said: buttons %v, the first reads %q; want Pause and Stop, not paused", s.Shown, s.PauseText)
	}
	if fmt.Sprint(s.Highlight) != fmt.Sprint([]string{sentence}) {
		t.Errorf("while the word is said: highlight %q, want the sentence broken into, %q", s.Highlight, sentence)
	}
	if calls := fmt.Sprint(s.Calls[len(s.Calls)-2:]); calls != "[resume cancel]" {
		t.Errorf("the word's Listen called %s last, want resume then cancel", calls)
	}

	advance(t, ctx) // the word ends
	s = listenNow(t, ctx)
	if last := s.Spoken[len(s.Spoken)-1]; last != sentence {
		t.Errorf("after the word: spoken %q, want the reading to go on with %q", last, sentence)
	}
	advance(t, ctx)
	s = listenNow(t, ctx)
	if last := s.Spoken[len(s.Spoken)-1]; last == sentence || last == "negotiator" {
		t.Errorf("the reading did not move on after the word: last spoken %q", last)
	}

	// Stop while a word is said ends the reading, and the word's end
	// starts nothing.
	do(t, ctx, chromedp.Click(".dict-popup-listen"))
	do(t, ctx, chromedp.Click(".listen-stop"))
	n := len(listenNow(t, ctx).Spoken)
	advance(t, ctx)
	if s = listenNow(t, ctx); len(s.Spoken) != n || len(s.Highlight) != 0 || fmt.Sprint(s.Shown) != "[listen-start]" {
		t.Errorf("after Stop during a word: %d spoken (want %d), highlight %q, buttons %v", len(s.Spoken), n, s.Highlight, s.Shown)
	}
}
