package rootfs

import "fmt"

// User is one account of the image.
type User struct {
	Name  string
	UID   int
	Home  string
	Shell string
}

// passwd, group and shadow give the files for users, after root and before
// nobody. Passwords are locked ("!"): sudo works by NOPASSWD, not by a
// password.
func passwd(shell string, users ...User) string {
	s := fmt.Sprintf("root:x:0:0:root:/root:%s\n", shell)
	for _, u := range users {
		s += passwdLine(u)
	}
	return s + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
}

func group(users ...User) string {
	s := "root:x:0:\n"
	for _, u := range users {
		s += groupLine(u)
	}
	return s + "nogroup:x:65534:\n"
}

func shadow(users ...User) string {
	s := "root:!:1::::::\n"
	for _, u := range users {
		s += shadowLine(u)
	}
	return s + "nobody:!:1::::::\n"
}

// The lines of u in /etc/passwd, /etc/group (its own group, of the same
// id), /etc/shadow and /etc/gshadow.
func passwdLine(u User) string {
	return fmt.Sprintf("%s:x:%d:%d:%s:%s:%s\n", u.Name, u.UID, u.UID, u.Name, u.Home, u.Shell)
}
func groupLine(u User) string   { return fmt.Sprintf("%s:x:%d:\n", u.Name, u.UID) }
func shadowLine(u User) string  { return u.Name + ":!:1::::::\n" }
func gshadowLine(u User) string { return u.Name + ":!::\n" }
