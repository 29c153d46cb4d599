package article

import "time"

// TakeAllTurns takes every render's turn, as long renders would, and
// shortens RenderWait to wait; release gives them back.
func TakeAllTurns(wait time.Duration) (release func()) {
	old := RenderWait
	RenderWait = wait
	for range cap(renders) {
		renders <- struct{}{}
	}
	return func() {
		for range cap(renders) {
			<-renders
		}
		RenderWait = old
	}
}
