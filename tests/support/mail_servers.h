// Real mail servers for tests, started and stopped by the test itself on free loopback ports:
// SmtpServer runs python3-aiosmtpd (tests/support/smtp_server.py) delivering into a Maildir;
// Dovecot serves a Maildir over IMAP and POP3, unprivileged, with its own base_dir and a
// passwd-file user. When the tests run as root, Dovecot's login and mail processes run as the
// Debian users dovenull and dovecot (Dovecot refuses root), and the Maildir is given to dovecot.
// Each server is stopped (SIGTERM, then SIGKILL) when its object goes away. Not thread-safe.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.h"

namespace jimu::testing {

// A port nothing listens on right now.
inline int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

inline bool port_open(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

inline void wait_for_port(int port, const std::string& what) {
  for (int i = 0; i < 200; ++i) {
    if (port_open(port)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error(what + " did not start listening on port " + std::to_string(port));
}

// A listener that accepts connections (in the kernel's backlog) but never says a word.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 16);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~SilentListener() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A child process stopped when this object goes away.
class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const std::vector<std::string>& argv, const std::string& log_file) {
    pid_ = ::fork();
    if (pid_ == 0) {
      int fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  ~ChildProcess() { stop(); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
};

inline int run_command(const std::string& command) { return std::system(command.c_str()); }

// A self-signed certificate for 127.0.0.1 and localhost: dir/cert.pem (also the CA file) and
// dir/key.pem.
inline void make_certificate(const std::string& dir) {
  std::string cmd =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost "
      "-addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout '" +
      dir + "/key.pem' -out '" + dir + "/cert.pem' >/dev/null 2>&1";
  if (run_command(cmd) != 0) throw std::runtime_error("openssl could not make a test certificate");
}

// Who owns the Maildir that Dovecot serves: the dovecot user when running as root.
inline std::pair<uid_t, gid_t> mail_owner() {
  if (::geteuid() != 0) return {::geteuid(), ::getegid()};
  struct passwd* pw = ::getpwnam("dovecot");
  if (!pw) throw std::runtime_error("no 'dovecot' user: install dovecot-core");
  return {pw->pw_uid, pw->pw_gid};
}

inline void give_to_mail_owner(const std::string& dir) {
  if (::geteuid() != 0) return;
  auto [uid, gid] = mail_owner();
  ::chown(dir.c_str(), uid, gid);
  for (auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    ::chown(e.path().c_str(), uid, gid);
    if (e.is_directory()) ::chmod(e.path().c_str(), 0755);
  }
}

class SmtpServer {
 public:
  // extra: options of smtp_server.py (--starttls, --tls, --user U --password P, --reject A ...).
  // Messages go to maildir (created), e.g. a Dovecot's maildir().
  SmtpServer(const std::string& dir, const std::string& maildir,
             std::vector<std::string> extra = {})
      : port_(free_port()), maildir_(maildir) {
    std::vector<std::string> argv = {
        "/usr/bin/python3", std::string(JIMU_SOURCE_DIR) + "/tests/support/smtp_server.py",
        "--port",           std::to_string(port_),
        "--maildir",        maildir};
    if (::geteuid() == 0) {
      auto [uid, gid] = mail_owner();
      argv.push_back("--owner");
      argv.push_back(std::to_string(uid) + ":" + std::to_string(gid));
    }
    for (auto& e : extra) argv.push_back(e);
    proc_ = std::make_unique<ChildProcess>(argv, dir + "/smtp.log");
    wait_for_port(port_, "the SMTP server (see " + dir + "/smtp.log)");
  }
  int port() const { return port_; }
  // The raw messages delivered so far, oldest first.
  std::vector<std::string> messages() const {
    std::vector<std::pair<std::filesystem::file_time_type, std::string>> files;
    for (const char* sub : {"/new", "/cur"}) {
      std::error_code ec;
      for (auto& e : std::filesystem::directory_iterator(maildir_ + sub, ec)) {
        files.push_back({e.last_write_time(), e.path().string()});
      }
    }
    std::sort(files.begin(), files.end());
    std::vector<std::string> out;
    for (auto& [t, p] : files) out.push_back(read_all(p));
    return out;
  }

 private:
  int port_;
  std::string maildir_;
  std::unique_ptr<ChildProcess> proc_;
};

class Dovecot {
 public:
  static constexpr const char* kUser = "clerk";
  static constexpr const char* kPassword = "s3cret-pw";

  // With tls, Dovecot also offers STARTTLS and listens for IMAPS and POP3S with dir/cert.pem
  // (make_certificate(dir) first).
  explicit Dovecot(const std::string& dir, bool tls = false)
      : dir_(dir),
        imap_port_(free_port()),
        pop3_port_(free_port()),
        imaps_port_(tls ? free_port() : 0),
        pop3s_port_(tls ? free_port() : 0) {
    if (pop3_port_ == imap_port_) pop3_port_ = free_port();
    std::filesystem::create_directories(maildir() + "/new");
    std::filesystem::create_directories(maildir() + "/cur");
    std::filesystem::create_directories(maildir() + "/tmp");
    ::chmod(dir.c_str(), 0755);
    // Dovecot's own users must pass through the test's private folder to reach its files.
    if (::geteuid() == 0) ::chmod(std::filesystem::path(dir).parent_path().c_str(), 0711);
    auto [uid, gid] = mail_owner();
    give_to_mail_owner(dir + "/home");
    std::string login_user = "dovenull", internal_user = "dovecot", internal_group = "dovecot";
    if (::geteuid() != 0) {
      struct passwd* me = ::getpwuid(::geteuid());
      login_user = internal_user = me->pw_name;
      struct group* gr = ::getgrgid(::getegid());
      internal_group = gr ? gr->gr_name : std::to_string(::getegid());
    }
    std::ofstream(dir + "/passwd")
        << kUser << ":{PLAIN}" << kPassword << ":" << uid << ":" << gid << "::" << dir << "/home\n";
    std::ofstream conf(dir + "/dovecot.conf");
    conf << "base_dir = " << dir << "/run\n"
         << "state_dir = " << dir << "/state\n"
         << "log_path = " << dir << "/dovecot.log\n"
         << "protocols = imap pop3\nlisten = 127.0.0.1\n"
         << (tls ? "ssl = yes\nssl_cert = <" + dir + "/cert.pem\nssl_key = <" + dir + "/key.pem\n"
                 : std::string("ssl = no\n"))
         << "disable_plaintext_auth = no\nauth_mechanisms = plain login\n"
         << "default_login_user = " << login_user << "\n"
         << "default_internal_user = " << internal_user << "\n"
         << "default_internal_group = " << internal_group << "\n"
         << "mail_location = maildir:~/Maildir\nfirst_valid_uid = 1\nfirst_valid_gid = 1\n"
         << "pop3_uidl_format = %08Xu%08Xv\n"
         << "passdb {\n  driver = passwd-file\n  args = " << dir << "/passwd\n}\n"
         << "userdb {\n  driver = passwd-file\n  args = " << dir << "/passwd\n}\n"
         << "service imap-login {\n  chroot =\n  inet_listener imap {\n    port = " << imap_port_
         << "\n  }\n  inet_listener imaps {\n    port = " << imaps_port_ << "\n  }\n}\n"
         << "service pop3-login {\n  chroot =\n  inet_listener pop3 {\n    port = " << pop3_port_
         << "\n  }\n  inet_listener pop3s {\n    port = " << pop3s_port_ << "\n  }\n}\n"
         << "service anvil {\n  chroot =\n}\n"
         << "service submission-login {\n  inet_listener submission {\n    port = 0\n  }\n}\n";
    conf.close();
    proc_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"/usr/sbin/dovecot", "-F", "-c", dir + "/dovecot.conf"},
        dir + "/dovecot.out");
    wait_for_port(imap_port_, "dovecot (see " + dir + "/dovecot.log)");
    wait_for_port(pop3_port_, "dovecot (see " + dir + "/dovecot.log)");
    if (tls) {
      wait_for_port(imaps_port_, "dovecot (see " + dir + "/dovecot.log)");
      wait_for_port(pop3s_port_, "dovecot (see " + dir + "/dovecot.log)");
    }
  }

  std::string maildir() const { return dir_ + "/home/Maildir"; }
  int imap_port() const { return imap_port_; }
  int imaps_port() const { return imaps_port_; }
  int pop3s_port() const { return pop3s_port_; }
  int pop3_port() const { return pop3_port_; }

  // Puts a raw message into the inbox as a delivery agent would.
  void deliver(const std::string& raw) {
    static int n = 0;
    std::string name = std::to_string(::time(nullptr)) + ".jimu" + std::to_string(++n) + "." +
                       std::to_string(::getpid());
    std::string tmp = maildir() + "/tmp/" + name;
    std::ofstream(tmp, std::ios::binary) << raw;
    std::filesystem::rename(tmp, maildir() + "/new/" + name);
    give_to_mail_owner(dir_ + "/home");
  }
  // Messages in a folder ("" for the inbox), counting new and cur.
  size_t count(const std::string& folder = "") const {
    std::string base = folder.empty() ? maildir() : maildir() + "/." + folder;
    size_t n = 0;
    for (const char* sub : {"/new", "/cur"}) {
      std::error_code ec;
      for (auto it = std::filesystem::directory_iterator(base + sub, ec);
           !ec && it != std::filesystem::directory_iterator(); ++it) {
        ++n;
      }
    }
    return n;
  }

 private:
  std::string dir_;
  int imap_port_, pop3_port_, imaps_port_, pop3s_port_;
  std::unique_ptr<ChildProcess> proc_;
};

}  // namespace jimu::testing
