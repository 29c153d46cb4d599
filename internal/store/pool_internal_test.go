package store

import "testing"

// Three instances with their pools and their two cluster sessions each
// must fit on the server with room to spare.
func TestPgPoolSize_leavesRoomForSeveralInstances(t *testing.T) {
	for _, tt := range []struct{ allowed, reserved, cores, want int }{
		{100, 3, 2, 8},   // four per core
		{100, 3, 16, 19}, // a fifth of the 97 left
		{20, 3, 16, 4},   // never under 4
		{500, 3, 64, 99}, // a large server, a fifth still
		{1000, 3, 1, 4},  // one core: 4
	} {
		got := pgPoolSize(tt.allowed, tt.reserved, tt.cores)
		if got != tt.want {
			t.Errorf("max_connections %d, %d reserved, %d cores: pool %d, want %d", tt.allowed, tt.reserved, tt.cores, got, tt.want)
		}
		if three := 3 * (got + 2); tt.allowed-tt.reserved >= 3*(4+2) && three > tt.allowed-tt.reserved {
			t.Errorf("max_connections %d: three instances take %d connections, more than the %d there are", tt.allowed, three, tt.allowed-tt.reserved)
		}
	}
}
