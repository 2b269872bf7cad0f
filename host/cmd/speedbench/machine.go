package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// machineInfo describes where the numbers come from; the machine may be
// shared, so the load average is part of it.
func machineInfo(c config) []string {
	return []string{
		fmt.Sprintf("CPU: %s, %d cores (nproc)", cpuModel(), runtime.NumCPU()),
		"kernel: " + firstLine("/proc/sys/kernel/osrelease"),
		fmt.Sprintf("host: %s (go-plugin 1.0.1, GOPATH mode); node: %s; java: %s",
			runtime.Version(), commandLine(c.node, "--version"), javaVersion()),
	}
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if k, v, ok := strings.Cut(s.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func loadAverage() string {
	f := strings.Fields(firstLine("/proc/loadavg"))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func firstLine(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "unknown"
	}
	line, _, _ := strings.Cut(string(data), "\n")
	return strings.TrimSpace(line)
}

func commandLine(name string, args ...string) string {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return "unavailable"
	}
	line, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(line)
}

// javaVersion is the JDK bridge/bin/bridgejs picks when JAVA_HOME is not set
// to something else: BRIDGE_JAVA_HOME, else JAVA_HOME, else Temurin 25.
func javaVersion() string {
	home := os.Getenv("BRIDGE_JAVA_HOME")
	if home == "" {
		home = os.Getenv("JAVA_HOME")
	}
	if home == "" {
		home = "/usr/lib/jvm/temurin-25-jdk-amd64"
	}
	out, err := exec.Command(home+"/bin/java", "-version").CombinedOutput()
	if err != nil {
		return "unavailable"
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "Runtime Environment") {
			return strings.TrimSpace(line)
		}
	}
	line, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(line)
}
