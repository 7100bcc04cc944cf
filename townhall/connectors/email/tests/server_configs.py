"""The throwaway servers' configuration files; nothing in them is read from /etc."""

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from townhall.connectors.email.tests.servers import Ports

DOMAIN = "afon.test"


def dovecot_conf(root: Path, ports: "Ports", cert: Path, key: Path, mail_user: str,
                  login_user: str, password: str) -> str:
    return f"""# A throwaway Dovecot for Townhall's tests; nothing here is read from /etc.
instance_name = townhall-test-{root.name}
base_dir = {root}/base
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
default_internal_user = {mail_user}
default_login_user = {login_user}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_user} home={root}/mail/%u allow_all_users=yes
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {ports.imap}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {ports.imaps}
    ssl = yes
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {ports.lmtp}
  }}
  unix_listener lmtp {{
    mode = 0600
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0600
  }}
  unix_listener stats-writer {{
    mode = 0600
  }}
}}
"""


def exim_conf(root: Path, ports: "Ports", cert: Path, key: Path, exim_user: str,
               password: str) -> str:
    return f"""# A throwaway Exim for Townhall's tests; nothing here is read from /etc.
primary_hostname = mail.{DOMAIN}
qualify_domain = {DOMAIN}
exim_user = {exim_user}
exim_group = {exim_user}
keep_environment =
spool_directory = {root}/exim/spool
log_file_path = {root}/exim/log/%slog
pid_file_path = {root}/exim/exim.pid
local_interfaces = 127.0.0.1
daemon_smtp_ports = {ports.smtp} : {ports.smtps}
tls_on_connect_ports = {ports.smtps}
tls_certificate = {cert}
tls_privatekey = {key}
tls_advertise_hosts = *
auth_advertise_hosts = *
host_lookup =
rfc1413_hosts =
acl_smtp_rcpt = acl_rcpt

begin acl
acl_rcpt:
  accept domains = {DOMAIN}
  accept authenticated = *
  deny message = Relaying to other domains needs a login

begin routers
council:
  driver = accept
  domains = {DOMAIN}
  transport = to_dovecot
outside:
  driver = redirect
  data = ${{if def:sender_address_local_part {{$sender_address_local_part-outbox@{DOMAIN}}}\
{{nobody-outbox@{DOMAIN}}}}}

begin transports
to_dovecot:
  driver = smtp
  protocol = lmtp
  hosts = 127.0.0.1
  port = {ports.lmtp}
  allow_localhost
  hosts_override
  hosts_avoid_tls = *

begin retry
* * F,1h,10s

begin authenticators
plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = ${{if and {{{{!eq{{$auth2}}{{}}}} {{eq{{$auth3}}{{{password}}}}}}}}}
  server_set_id = $auth2
login:
  driver = plaintext
  public_name = LOGIN
  server_prompts = Username:: : Password::
  server_condition = ${{if and {{{{!eq{{$auth1}}{{}}}} {{eq{{$auth2}}{{{password}}}}}}}}}
  server_set_id = $auth1
"""
