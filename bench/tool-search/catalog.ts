/**
 * The benchmark catalogue: 60+ services an agent could be connected to, as MCP servers or
 * namespaces, with near-duplicates across services (GitHub/GitLab/Bitbucket, Gmail/Outlook,
 * Stripe/PayPal/Square, Jira/Linear/Asana…). Written for this benchmark.
 */
import { service, type BenchTool, type Service } from './catalog-builder.js';

const S = service;

export const SERVICES: Service[] = [
  // --- code hosting and CI -------------------------------------------------------------------
  S('github', 'GitHub', 'GitHub: repositories, issues, pull requests, branches, releases and Actions workflows.', [
    { name: 'repository', plural: 'repositories', fields: ['name:string:Repository name', 'description:string:Short description', 'private:boolean:Whether only collaborators can see it'], actions: 'create get list update delete archive' },
    { name: 'issue', fields: ['title:string:Issue title', 'body:string:Issue description in Markdown', 'labels:string[]:Label names', 'assignees:string[]:Usernames to assign'], parent: 'repository', actions: 'create get list update close reopen assign comment comments search' },
    { name: 'pull_request', label: 'pull request', fields: ['title:string:Title', 'head:string:Branch with the changes', 'base:string:Branch to merge into', 'body:string:Description'], parent: 'repository', actions: 'create get list update merge close comment' },
    { name: 'branch', plural: 'branches', fields: ['name:string:Branch name', 'from:string:Branch or commit to start from'], parent: 'repository', actions: 'create list delete' },
    { name: 'release', fields: ['tag:string:Git tag', 'name:string:Release title', 'notes:string:Release notes'], parent: 'repository', actions: 'create get list delete' },
  ], [
    { name: 'fork_repository', description: 'Fork a repository into your account or an organization.', params: ['repository:string:owner/name', 'organization:string:Target organization'] },
    { name: 'star_repository', description: 'Star a repository.', params: ['repository:string:owner/name'] },
    { name: 'list_commits', description: 'List the commits of a branch, newest first.', params: ['repository:string:owner/name', 'branch:string:Branch name', 'author:string:Filter by author'] },
    { name: 'get_file_contents', description: 'Read the contents of a file or directory in a repository at a given ref.', params: ['repository:string:owner/name', 'path:string:File path', 'ref:string:Branch, tag or commit'] },
    { name: 'create_or_update_file', description: 'Create or update a single file in a repository with a commit.', params: ['repository:string:owner/name', 'path:string:File path', 'content:string:New content', 'message:string:Commit message', 'branch:string:Branch'] },
    { name: 'search_code', description: 'Search code across GitHub repositories.', params: ['query:string:Code search query'] },
    { name: 'request_pull_request_review', description: 'Request reviewers for a pull request.', params: ['pull_request_id:string:Pull request number', 'reviewers:string[]:Usernames'] },
    { name: 'submit_pull_request_review', description: 'Submit a review on a pull request: approve, request changes or comment.', params: ['pull_request_id:string:Pull request number', 'event:enum=APPROVE|REQUEST_CHANGES|COMMENT:Review verdict', 'body:string:Review text'] },
    { name: 'trigger_workflow', description: 'Trigger a GitHub Actions workflow run on a branch or tag.', params: ['workflow:string:Workflow file name or ID', 'ref:string:Branch or tag', 'inputs:object:Workflow inputs'] },
    { name: 'list_workflow_runs', description: 'List recent GitHub Actions workflow runs and their status.', params: ['repository:string:owner/name', 'status:string:Filter by status'] },
    { name: 'rerun_workflow', description: 'Re-run a failed GitHub Actions workflow run.', params: ['run_id:string:Workflow run ID'] },
    { name: 'get_workflow_run_logs', description: 'Download the logs of a GitHub Actions workflow run.', params: ['run_id:string:Workflow run ID'] },
  ]),
  S('gitlab', 'GitLab', 'GitLab: projects, issues, merge requests, branches and CI/CD pipelines.', [
    { name: 'project', fields: ['name:string:Project name', 'visibility:enum=private|internal|public:Visibility', 'description:string:Description'], actions: 'create get list update delete archive' },
    { name: 'issue', fields: ['title:string:Title', 'description:string:Description', 'labels:string[]:Labels', 'milestone_id:string:Milestone'], parent: 'project', actions: 'create get list update close reopen assign comment search' },
    { name: 'merge_request', label: 'merge request', fields: ['title:string:Title', 'source_branch:string:Source branch', 'target_branch:string:Target branch', 'description:string:Description'], parent: 'project', actions: 'create get list update merge close approve comment' },
    { name: 'branch', plural: 'branches', fields: ['name:string:Branch name', 'ref:string:Start from this ref'], parent: 'project', actions: 'create list delete' },
    { name: 'pipeline', fields: ['ref:string:Branch or tag'], parent: 'project', actions: 'get list cancel' },
    { name: 'milestone', fields: ['title:string:Title', 'due_date:string:Due date'], parent: 'project', actions: 'create list close' },
  ], [
    { name: 'run_pipeline', description: 'Run a new CI/CD pipeline for a branch or tag.', params: ['project_id:string:Project', 'ref:string:Branch or tag', 'variables:object:CI variables'] },
    { name: 'retry_pipeline', description: 'Retry the failed jobs of a pipeline.', params: ['pipeline_id:string:Pipeline ID'] },
    { name: 'get_job_log', description: 'Get the log output (trace) of a CI job.', params: ['job_id:string:Job ID'] },
    { name: 'list_commits', description: 'List commits of a project branch.', params: ['project_id:string:Project', 'ref_name:string:Branch'] },
    { name: 'get_repository_file', description: 'Get a file from a project repository.', params: ['project_id:string:Project', 'file_path:string:Path', 'ref:string:Ref'] },
  ]),
  S('bitbucket', 'Bitbucket', 'Bitbucket Cloud: repositories, pull requests, branches and Pipelines.', [
    { name: 'repository', plural: 'repositories', fields: ['name:string:Name', 'is_private:boolean:Private'], actions: 'create get list delete' },
    { name: 'pull_request', label: 'pull request', fields: ['title:string:Title', 'source:string:Source branch', 'destination:string:Destination branch'], parent: 'repository', actions: 'create get list merge comment approve' },
    { name: 'branch', plural: 'branches', fields: ['name:string:Name', 'target:string:Commit hash'], parent: 'repository', actions: 'create list delete' },
    { name: 'pipeline', parent: 'repository', actions: 'get list stop' },
  ], [
    { name: 'decline_pull_request', description: 'Decline a pull request without merging it.', params: ['pull_request_id:string:Pull request ID'] },
    { name: 'run_pipeline', description: 'Start Bitbucket Pipelines for a branch.', params: ['repository_id:string:Repository', 'branch:string:Branch'] },
  ]),
  S('circleci', 'CircleCI', 'CircleCI continuous integration: pipelines, workflows, jobs and project settings.', [
    { name: 'pipeline', parent: 'project', actions: 'get list' },
    { name: 'workflow', actions: 'get cancel' },
    { name: 'env_var', label: 'environment variable', fields: ['name:string:Variable name', 'value:string:Value'], parent: 'project', actions: 'create list delete' },
  ], [
    { name: 'trigger_pipeline', description: 'Trigger a new CircleCI pipeline on a branch.', params: ['project_slug:string:Project slug', 'branch:string:Branch', 'parameters:object:Pipeline parameters'] },
    { name: 'rerun_workflow', description: 'Rerun a workflow, optionally only its failed jobs.', params: ['workflow_id:string:Workflow ID', 'from_failed:boolean:Only failed jobs'] },
    { name: 'get_job_artifacts', description: 'List the artifacts a job produced.', params: ['job_number:string:Job number'] },
    { name: 'get_test_results', description: 'Get test metadata (passed/failed tests) of a job.', params: ['job_number:string:Job number'] },
  ]),
  S('vercel', 'Vercel', 'Vercel hosting: projects, deployments, domains and environment variables for web apps.', [
    { name: 'project', fields: ['name:string:Name', 'framework:string:Framework preset', 'git_repository:string:Linked repository'], actions: 'create get list delete' },
    { name: 'deployment', fields: ['project_id:string:Project', 'target:enum=production|preview:Target', 'ref:string:Git ref'], actions: 'create get list cancel' },
    { name: 'env_var', label: 'environment variable', fields: ['key:string:Name', 'value:string:Value', 'target:string[]:Environments'], parent: 'project', actions: 'create list delete' },
  ], [
    { name: 'promote_deployment', description: 'Promote a preview deployment to production.', params: ['deployment_id:string:Deployment'] },
    { name: 'rollback_deployment', description: 'Roll production back to a previous deployment.', params: ['project_id:string:Project', 'deployment_id:string:Deployment to roll back to'] },
    { name: 'get_deployment_logs', description: 'Get the build and runtime logs of a deployment.', params: ['deployment_id:string:Deployment'] },
    { name: 'add_domain', description: 'Add a custom domain to a project.', params: ['project_id:string:Project', 'domain:string:Domain name'] },
    { name: 'remove_domain', description: 'Remove a custom domain from a project.', params: ['project_id:string:Project', 'domain:string:Domain name'] },
  ]),
  S('netlify', 'Netlify', 'Netlify: sites, deploys, forms and DNS for static sites and serverless functions.', [
    { name: 'site', fields: ['name:string:Site name', 'repo:string:Repository', 'custom_domain:string:Domain'], actions: 'create get list update delete' },
    { name: 'deploy', fields: ['site_id:string:Site', 'dir:string:Folder to publish'], actions: 'create get list' },
    { name: 'form', parent: 'site', actions: 'list' },
  ], [
    { name: 'restore_deploy', description: 'Publish an earlier deploy again (roll back the site).', params: ['deploy_id:string:Deploy'] },
    { name: 'list_form_submissions', description: 'List the submissions of a site form.', params: ['form_id:string:Form'] },
    { name: 'lock_deploy', description: 'Lock a deploy so auto publishing stops.', params: ['deploy_id:string:Deploy'] },
  ]),
  S('cloudflare', 'Cloudflare', 'Cloudflare: DNS zones and records, cache, firewall rules and Workers at the edge.', [
    { name: 'zone', fields: ['name:string:Domain'], actions: 'create get list delete' },
    { name: 'dns_record', label: 'DNS record', fields: ['type:enum=A|AAAA|CNAME|MX|TXT:Record type', 'name:string:Host name', 'content:string:Value', 'ttl:integer:TTL seconds', 'proxied:boolean:Proxied'], parent: 'zone', actions: 'create list update delete' },
    { name: 'firewall_rule', label: 'firewall rule', fields: ['expression:string:Filter expression', 'action:enum=block|challenge|allow:Action'], parent: 'zone', actions: 'create list delete' },
  ], [
    { name: 'purge_cache', description: 'Purge cached files of a zone, everything or by URL.', params: ['zone_id:string:Zone', 'files:string[]:URLs to purge', 'purge_everything:boolean:Purge all'] },
    { name: 'deploy_worker', description: 'Upload and deploy a Worker script.', params: ['name:string:Worker name', 'script:string:JavaScript source'] },
    { name: 'list_workers', description: 'List the Worker scripts of the account.' },
    { name: 'get_zone_analytics', description: 'Traffic analytics of a zone: requests, bandwidth, threats.', params: ['zone_id:string:Zone', 'since:string:Start time'] },
  ]),
  // --- cloud -------------------------------------------------------------------------------
  S('aws_ec2', 'AWS EC2', 'Amazon EC2: virtual machine instances, volumes, security groups and key pairs.', [
    { name: 'instance', fields: ['image_id:string:AMI ID', 'instance_type:string:Type, e.g. t3.micro', 'key_name:string:Key pair', 'subnet_id:string:Subnet'], actions: 'get list start stop restart' },
    { name: 'security_group', label: 'security group', fields: ['name:string:Name', 'vpc_id:string:VPC', 'description:string:Description'], actions: 'create list delete' },
    { name: 'volume', label: 'EBS volume', fields: ['size_gb:integer:Size in GiB', 'availability_zone:string:Zone', 'volume_type:string:gp3, io2…'], actions: 'create list delete' },
    { name: 'key_pair', label: 'key pair', fields: ['name:string:Name'], actions: 'create list delete' },
  ], [
    { name: 'launch_instance', description: 'Launch new EC2 instances from an AMI.', params: ['image_id:string:AMI', 'instance_type:string:Instance type', 'count:integer:How many'] },
    { name: 'terminate_instance', description: 'Terminate (permanently destroy) an EC2 instance.', params: ['instance_id:string:Instance'] },
    { name: 'attach_volume', description: 'Attach an EBS volume to an instance.', params: ['volume_id:string:Volume', 'instance_id:string:Instance', 'device:string:Device name'] },
    { name: 'create_snapshot', description: 'Create a snapshot (backup) of an EBS volume.', params: ['volume_id:string:Volume', 'description:string:Description'] },
    { name: 'authorize_security_group_ingress', description: 'Open an inbound port range in a security group.', params: ['group_id:string:Security group', 'port:integer:Port', 'cidr:string:Source CIDR'] },
    { name: 'get_console_output', description: 'Get the console output (boot log) of an instance.', params: ['instance_id:string:Instance'] },
  ]),
  S('aws_s3', 'AWS S3', 'Amazon S3 object storage: buckets and objects.', [
    { name: 'bucket', fields: ['name:string:Bucket name', 'region:string:Region'], actions: 'create list delete' },
    { name: 'object', fields: ['key:string:Object key'], parent: 'bucket', actions: 'get list delete copy' },
  ], [
    { name: 'upload_object', description: 'Upload (put) an object into a bucket.', params: ['bucket:string:Bucket', 'key:string:Object key', 'content_base64:string:Content'] },
    { name: 'download_object', description: 'Download an object from a bucket.', params: ['bucket:string:Bucket', 'key:string:Object key'] },
    { name: 'generate_presigned_url', description: 'Create a presigned URL that grants temporary access to an object.', params: ['bucket:string:Bucket', 'key:string:Key', 'expires_in:integer:Seconds'] },
    { name: 'put_bucket_policy', description: 'Set the access policy of a bucket.', params: ['bucket:string:Bucket', 'policy:string:Policy JSON'] },
    { name: 'enable_bucket_versioning', description: 'Turn on versioning for a bucket.', params: ['bucket:string:Bucket'] },
  ]),
  S('aws_lambda', 'AWS Lambda', 'AWS Lambda serverless functions: code, configuration, invocations and logs.', [
    { name: 'function', fields: ['name:string:Function name', 'runtime:string:Runtime, e.g. nodejs20.x', 'handler:string:Handler', 'memory_mb:integer:Memory'], actions: 'create get list update delete' },
  ], [
    { name: 'invoke_function', description: 'Invoke a Lambda function with a JSON payload and return its result.', params: ['function_id:string:Function', 'payload:object:Event payload', 'async:boolean:Fire and forget'] },
    { name: 'update_function_code', description: 'Deploy new code to a Lambda function from a zip or image.', params: ['function_id:string:Function', 'zip_base64:string:Zip file'] },
    { name: 'get_function_logs', description: 'Read recent CloudWatch log events of a function.', params: ['function_id:string:Function', 'since:string:Start time'] },
    { name: 'publish_version', description: 'Publish an immutable version of a function.', params: ['function_id:string:Function'] },
    { name: 'set_concurrency', description: 'Set reserved concurrency for a function.', params: ['function_id:string:Function', 'reserved:integer:Reserved concurrency'] },
  ]),
  S('kubernetes', 'Kubernetes', 'Kubernetes cluster: pods, deployments, services, namespaces, config maps and secrets.', [
    { name: 'pod', parent: 'namespace', actions: 'get list delete' },
    { name: 'deployment', fields: ['name:string:Name', 'image:string:Container image', 'replicas:integer:Replicas'], parent: 'namespace', actions: 'create get list delete' },
    { name: 'service', fields: ['name:string:Name', 'port:integer:Port', 'type:enum=ClusterIP|NodePort|LoadBalancer:Type'], parent: 'namespace', actions: 'create list delete' },
    { name: 'namespace', fields: ['name:string:Name'], actions: 'create list delete' },
    { name: 'secret', fields: ['name:string:Name', 'data:object:Key/value data'], parent: 'namespace', actions: 'create get list delete' },
    { name: 'config_map', label: 'config map', fields: ['name:string:Name', 'data:object:Key/value data'], parent: 'namespace', actions: 'create get list' },
  ], [
    { name: 'get_pod_logs', description: 'Get the logs of a pod container.', params: ['pod_id:string:Pod', 'container:string:Container', 'tail_lines:integer:Last N lines'] },
    { name: 'exec_in_pod', description: 'Run a command inside a pod container.', params: ['pod_id:string:Pod', 'command:string[]:Command and arguments'] },
    { name: 'scale_deployment', description: 'Change the number of replicas of a deployment.', params: ['deployment_id:string:Deployment', 'replicas:integer:Replicas'] },
    { name: 'restart_deployment', description: 'Restart all pods of a deployment (rolling restart).', params: ['deployment_id:string:Deployment'] },
    { name: 'rollback_deployment', description: 'Roll a deployment back to its previous revision.', params: ['deployment_id:string:Deployment', 'revision:integer:Revision'] },
    { name: 'apply_manifest', description: 'Apply a YAML manifest to the cluster (kubectl apply).', params: ['manifest:string:YAML'] },
    { name: 'list_events', description: 'List recent cluster events (warnings, scheduling, failures).', params: ['namespace_id:string:Namespace'] },
  ]),
  S('docker_hub', 'Docker Hub', 'Docker Hub container image registry: repositories and tags.', [
    { name: 'repository', plural: 'repositories', fields: ['name:string:Name', 'description:string:Description', 'is_private:boolean:Private'], actions: 'create get list delete' },
    { name: 'tag', parent: 'repository', actions: 'list delete' },
  ], [{ name: 'get_image_vulnerabilities', description: 'Get the vulnerability scan report of an image tag.', params: ['repository:string:Repository', 'tag:string:Tag'] }]),
  // --- work tracking -----------------------------------------------------------------------
  S('jira', 'Jira', 'Jira Software: issues, projects, sprints and boards for agile teams.', [
    { name: 'issue', fields: ['summary:string:Summary', 'description:string:Description', 'issue_type:enum=Bug|Task|Story|Epic:Type', 'priority:enum=Highest|High|Medium|Low:Priority'], parent: 'project', actions: 'create get update delete assign comment comments search' },
    { name: 'project', fields: ['key:string:Project key', 'name:string:Name', 'lead:string:Lead'], actions: 'create get list' },
    { name: 'sprint', fields: ['name:string:Name', 'goal:string:Sprint goal', 'start_date:string:Start', 'end_date:string:End'], parent: 'board', actions: 'create get list start' },
    { name: 'board', actions: 'get list' },
  ], [
    { name: 'transition_issue', description: 'Move an issue to another workflow status, e.g. To Do → In Progress → Done.', params: ['issue_id:string:Issue key', 'status:string:Target status'] },
    { name: 'log_work', description: 'Log time spent on an issue (worklog).', params: ['issue_id:string:Issue key', 'time_spent:string:e.g. 2h 30m', 'comment:string:Comment'] },
    { name: 'link_issues', description: 'Link two issues (blocks, relates to, duplicates).', params: ['from_issue:string:Issue key', 'to_issue:string:Issue key', 'link_type:string:Link type'] },
    { name: 'add_watcher', description: 'Add a user as a watcher of an issue.', params: ['issue_id:string:Issue key', 'user:string:User'] },
    { name: 'complete_sprint', description: 'Complete (close) an active sprint.', params: ['sprint_id:string:Sprint'] },
    { name: 'move_issues_to_sprint', description: 'Move issues into a sprint.', params: ['sprint_id:string:Sprint', 'issues:string[]:Issue keys'] },
  ]),
  S('linear', 'Linear', 'Linear issue tracking: issues, projects, cycles and teams.', [
    { name: 'issue', fields: ['title:string:Title', 'description:string:Description', 'priority:integer:0 none to 4 low', 'state:string:Workflow state'], parent: 'team', actions: 'create get list update archive assign comment search' },
    { name: 'project', fields: ['name:string:Name', 'target_date:string:Target date'], actions: 'create get list update' },
    { name: 'cycle', parent: 'team', actions: 'get list' },
    { name: 'team', actions: 'get list' },
  ], [{ name: 'add_issue_label', description: 'Add a label to an issue.', params: ['issue_id:string:Issue', 'label:string:Label name'] }]),
  S('asana', 'Asana', 'Asana work management: tasks, projects, sections and teams.', [
    { name: 'task', fields: ['name:string:Task name', 'notes:string:Description', 'due_on:string:Due date', 'assignee:string:Assignee'], parent: 'project', actions: 'create get list update delete assign comment search' },
    { name: 'project', fields: ['name:string:Name', 'team:string:Team', 'color:string:Color'], actions: 'create get list update archive' },
    { name: 'section', fields: ['name:string:Name'], parent: 'project', actions: 'create list' },
  ], [
    { name: 'complete_task', description: 'Mark a task as completed.', params: ['task_id:string:Task'] },
    { name: 'add_subtask', description: 'Add a subtask under a task.', params: ['task_id:string:Parent task', 'name:string:Subtask name'] },
    { name: 'add_task_to_project', description: 'Add an existing task to another project or section.', params: ['task_id:string:Task', 'project_id:string:Project', 'section_id:string:Section'] },
    { name: 'set_task_due_date', description: 'Set or change the due date of a task.', params: ['task_id:string:Task', 'due_on:string:YYYY-MM-DD'] },
  ]),
  S('trello', 'Trello', 'Trello kanban boards: boards, lists and cards.', [
    { name: 'board', fields: ['name:string:Name', 'description:string:Description'], actions: 'create get list update close' },
    { name: 'card', fields: ['name:string:Card title', 'desc:string:Description', 'due:string:Due date', 'list_id:string:List'], parent: 'board', actions: 'create get list update archive move comment assign' },
  ], [
    { name: 'create_list', description: 'Create a list (column) on a board.', params: ['board_id:string:Board', 'name:string:List name'] },
    { name: 'add_checklist', description: 'Add a checklist with items to a card.', params: ['card_id:string:Card', 'items:string[]:Checklist items'] },
    { name: 'add_card_label', description: 'Put a colored label on a card.', params: ['card_id:string:Card', 'color:string:Label color'] },
  ]),
  S('todoist', 'Todoist', 'Todoist personal to-do lists: tasks, projects, labels and reminders.', [
    { name: 'task', fields: ['content:string:Task text', 'due_string:string:Natural language due date', 'priority:integer:1-4'], parent: 'project', actions: 'create get list update close reopen delete' },
    { name: 'project', fields: ['name:string:Name', 'color:string:Color'], actions: 'create list delete' },
    { name: 'label', fields: ['name:string:Name'], actions: 'create list' },
  ], [{ name: 'add_reminder', description: 'Add a reminder to a task at a time.', params: ['task_id:string:Task', 'due:string:When to remind'] }]),
  S('notion', 'Notion', 'Notion workspace: pages, databases, blocks and comments.', [
    { name: 'page', fields: ['title:string:Title', 'parent_id:string:Parent page or database', 'properties:object:Database properties'], actions: 'create get update archive search' },
    { name: 'database', fields: ['title:string:Title', 'parent_id:string:Parent page', 'schema:object:Properties'], actions: 'create get' },
  ], [
    { name: 'query_database', description: 'Query a database with filters and sorts, returning its pages (rows).', params: ['database_id:string:Database', 'filter:object:Filter', 'sorts:object:Sorts'] },
    { name: 'append_blocks', description: 'Append content blocks (paragraphs, headings, to-dos) to a page.', params: ['page_id:string:Page', 'children:object:Blocks'] },
    { name: 'get_block_children', description: 'Read the content blocks of a page.', params: ['page_id:string:Page'] },
    { name: 'delete_block', description: 'Delete a block of content.', params: ['block_id:string:Block'] },
    { name: 'add_comment', description: 'Add a comment to a page or discussion.', params: ['page_id:string:Page', 'text:string:Comment'] },
    { name: 'list_users', description: 'List the people in the workspace.' },
  ]),
  S('confluence', 'Confluence', 'Confluence wiki: spaces, pages, comments and attachments.', [
    { name: 'page', fields: ['title:string:Title', 'body:string:Content (storage format)', 'space_key:string:Space', 'parent_id:string:Parent page'], actions: 'create get update delete search' },
    { name: 'space', fields: ['key:string:Key', 'name:string:Name'], actions: 'create get list' },
  ], [
    { name: 'add_page_comment', description: 'Comment on a page.', params: ['page_id:string:Page', 'body:string:Comment'] },
    { name: 'upload_attachment', description: 'Attach a file to a page.', params: ['page_id:string:Page', 'file_base64:string:File', 'filename:string:Name'] },
    { name: 'list_page_children', description: 'List the child pages of a page.', params: ['page_id:string:Page'] },
    { name: 'get_page_history', description: 'List the versions of a page.', params: ['page_id:string:Page'] },
  ]),
  // --- monitoring -------------------------------------------------------------------------
  S('pagerduty', 'PagerDuty', 'PagerDuty incident response: incidents, services, on-call schedules and escalations.', [
    { name: 'incident', fields: ['title:string:Title', 'service_id:string:Service', 'urgency:enum=high|low:Urgency', 'details:string:Details'], actions: 'create get list update' },
    { name: 'service', actions: 'get list' },
    { name: 'schedule', actions: 'get list' },
  ], [
    { name: 'acknowledge_incident', description: 'Acknowledge an incident so escalation stops.', params: ['incident_id:string:Incident'] },
    { name: 'resolve_incident', description: 'Resolve an incident.', params: ['incident_id:string:Incident', 'resolution:string:Note'] },
    { name: 'escalate_incident', description: 'Escalate an incident to the next level.', params: ['incident_id:string:Incident', 'level:integer:Escalation level'] },
    { name: 'list_oncalls', description: 'Who is on call now, per schedule and escalation policy.', params: ['schedule_id:string:Schedule', 'since:string:From', 'until:string:To'] },
    { name: 'create_maintenance_window', description: 'Create a maintenance window so services do not page.', params: ['services:string[]:Services', 'start:string:Start', 'end:string:End'] },
    { name: 'add_incident_note', description: 'Add a note to an incident timeline.', params: ['incident_id:string:Incident', 'content:string:Note'] },
  ]),
  S('sentry', 'Sentry', 'Sentry error tracking: issues (grouped errors), events, releases and alerts.', [
    { name: 'issue', parent: 'project', actions: 'get list update assign' },
    { name: 'project', fields: ['name:string:Name', 'platform:string:Platform'], actions: 'create get list' },
    { name: 'release', fields: ['version:string:Version', 'projects:string[]:Projects'], actions: 'create list' },
    { name: 'alert_rule', label: 'alert rule', fields: ['name:string:Name', 'conditions:object:Conditions', 'actions:object:Actions'], parent: 'project', actions: 'create list delete' },
  ], [
    { name: 'resolve_issue', description: 'Mark an error issue as resolved, optionally in the next release.', params: ['issue_id:string:Issue', 'in_next_release:boolean:Resolve in next release'] },
    { name: 'list_issue_events', description: 'List the events (occurrences with stack traces) of an issue.', params: ['issue_id:string:Issue'] },
    { name: 'get_event', description: 'Get one error event with its stack trace and context.', params: ['event_id:string:Event'] },
    { name: 'ignore_issue', description: 'Ignore (mute) an issue for a while or until it happens N times.', params: ['issue_id:string:Issue', 'duration_minutes:integer:Minutes'] },
  ]),
  S('datadog', 'Datadog', 'Datadog monitoring: metrics, monitors, dashboards, logs and events.', [
    { name: 'monitor', fields: ['name:string:Name', 'query:string:Monitor query', 'message:string:Notification message', 'type:string:Monitor type'], actions: 'create get list update delete' },
    { name: 'dashboard', fields: ['title:string:Title', 'widgets:object:Widgets'], actions: 'create get list delete' },
    { name: 'event', fields: ['title:string:Title', 'text:string:Text', 'tags:string[]:Tags'], actions: 'create list' },
  ], [
    { name: 'query_metrics', description: 'Query metric time series over a time range (e.g. avg:system.cpu.user{*}).', params: ['query:string:Metric query', 'from:string:Start', 'to:string:End'] },
    { name: 'search_logs', description: 'Search logs with a query over a time range.', params: ['query:string:Log query', 'from:string:Start', 'to:string:End'] },
    { name: 'mute_monitor', description: 'Mute a monitor so it stops notifying.', params: ['monitor_id:string:Monitor', 'end:string:Until'] },
    { name: 'submit_metrics', description: 'Send custom metric points.', params: ['series:object:Metric series'] },
    { name: 'list_hosts', description: 'List monitored hosts and their status.' },
  ]),
  // --- communication ----------------------------------------------------------------------
  S('slack', 'Slack', 'Slack workspace messaging: channels, messages, users, files and reminders.', [
    { name: 'channel', fields: ['name:string:Channel name', 'is_private:boolean:Private channel'], actions: 'create list archive rename' },
    { name: 'reminder', fields: ['text:string:What to remind', 'time:string:When', 'user:string:For whom'], actions: 'create list delete' },
  ], [
    { name: 'post_message', description: 'Post a message to a channel or a direct message.', params: ['channel:string:Channel ID or name', 'text:string:Message text (mrkdwn)', 'thread_ts:string:Reply in this thread'] },
    { name: 'update_message', description: 'Edit a message that was posted.', params: ['channel:string:Channel', 'ts:string:Message timestamp', 'text:string:New text'] },
    { name: 'delete_message', description: 'Delete a message.', params: ['channel:string:Channel', 'ts:string:Message timestamp'] },
    { name: 'schedule_message', description: 'Schedule a message to be posted later.', params: ['channel:string:Channel', 'text:string:Text', 'post_at:string:When'] },
    { name: 'search_messages', description: 'Search messages across the workspace.', params: ['query:string:Search query'] },
    { name: 'get_channel_history', description: 'Read recent messages of a channel.', params: ['channel:string:Channel', 'limit:integer:How many'] },
    { name: 'invite_to_channel', description: 'Invite users to a channel.', params: ['channel:string:Channel', 'users:string[]:User IDs'] },
    { name: 'set_channel_topic', description: 'Set the topic of a channel.', params: ['channel:string:Channel', 'topic:string:Topic'] },
    { name: 'add_reaction', description: 'Add an emoji reaction to a message.', params: ['channel:string:Channel', 'ts:string:Message', 'emoji:string:Emoji name'] },
    { name: 'pin_message', description: 'Pin a message to a channel.', params: ['channel:string:Channel', 'ts:string:Message'] },
    { name: 'upload_file', description: 'Upload a file and share it in channels.', params: ['channels:string[]:Channels', 'content_base64:string:File', 'filename:string:Name'] },
    { name: 'get_user', description: 'Get a user profile.', params: ['user_id:string:User'] },
    { name: 'lookup_user_by_email', description: 'Find a workspace user by email address.', params: ['email:string:Email'] },
    { name: 'list_users', description: 'List the members of the workspace.' },
    { name: 'set_status', description: 'Set your status text, emoji and expiry.', params: ['text:string:Status text', 'emoji:string:Emoji', 'expiration:string:Until'] },
    { name: 'open_direct_message', description: 'Open a direct message conversation with users.', params: ['users:string[]:Users'] },
  ]),
  S('microsoft_teams', 'Microsoft Teams', 'Microsoft Teams: teams, channels, chats, messages and online meetings.', [
    { name: 'team', fields: ['display_name:string:Name', 'description:string:Description'], actions: 'create get list' },
    { name: 'channel', fields: ['display_name:string:Name', 'description:string:Description'], parent: 'team', actions: 'create list delete' },
    { name: 'chat', fields: ['members:string[]:Members', 'topic:string:Topic'], actions: 'create list' },
  ], [
    { name: 'send_channel_message', description: 'Send a message to a Teams channel.', params: ['channel_id:string:Channel', 'content:string:Message (HTML)'] },
    { name: 'send_chat_message', description: 'Send a message in a 1:1 or group chat.', params: ['chat_id:string:Chat', 'content:string:Message'] },
    { name: 'reply_to_message', description: 'Reply to a channel message.', params: ['message_id:string:Message', 'content:string:Reply'] },
    { name: 'list_channel_messages', description: 'Read the messages of a channel.', params: ['channel_id:string:Channel'] },
    { name: 'add_team_member', description: 'Add a user to a team.', params: ['team_id:string:Team', 'user:string:User', 'role:enum=member|owner:Role'] },
    { name: 'create_online_meeting', description: 'Create a Teams online meeting with a join link.', params: ['subject:string:Subject', 'start:string:Start', 'end:string:End', 'attendees:string[]:Attendees'] },
  ]),
  S('discord', 'Discord', 'Discord servers (guilds): channels, messages, roles and members.', [
    { name: 'channel', fields: ['name:string:Name', 'type:enum=text|voice:Type', 'topic:string:Topic'], actions: 'create list delete' },
    { name: 'role', fields: ['name:string:Name', 'color:string:Color', 'permissions:string:Permissions'], actions: 'create list delete' },
  ], [
    { name: 'send_message', description: 'Send a message to a Discord channel.', params: ['channel_id:string:Channel', 'content:string:Text', 'embeds:object:Embeds'] },
    { name: 'edit_message', description: 'Edit a message the bot sent.', params: ['channel_id:string:Channel', 'message_id:string:Message', 'content:string:New text'] },
    { name: 'delete_message', description: 'Delete a message.', params: ['channel_id:string:Channel', 'message_id:string:Message'] },
    { name: 'get_messages', description: 'Read recent messages of a channel.', params: ['channel_id:string:Channel', 'limit:integer:Count'] },
    { name: 'assign_role', description: 'Give a role to a server member.', params: ['user_id:string:Member', 'role_id:string:Role'] },
    { name: 'kick_member', description: 'Kick a member from the server.', params: ['user_id:string:Member', 'reason:string:Reason'] },
    { name: 'ban_member', description: 'Ban a member from the server.', params: ['user_id:string:Member', 'reason:string:Reason'] },
    { name: 'list_members', description: 'List the members of the server.' },
    { name: 'create_invite', description: 'Create an invite link for a channel.', params: ['channel_id:string:Channel', 'max_age:integer:Seconds valid'] },
    { name: 'create_thread', description: 'Start a thread from a message.', params: ['channel_id:string:Channel', 'message_id:string:Message', 'name:string:Thread name'] },
  ]),
  S('zoom', 'Zoom', 'Zoom video meetings: meetings, webinars, cloud recordings and users.', [
    { name: 'meeting', fields: ['topic:string:Topic', 'start_time:string:Start', 'duration:integer:Minutes', 'invitees:string[]:Emails'], actions: 'create get list update delete' },
    { name: 'recording', actions: 'get list delete' },
    { name: 'webinar', fields: ['topic:string:Topic', 'start_time:string:Start'], actions: 'create list' },
  ], [
    { name: 'get_meeting_participants', description: 'List who attended a past meeting and for how long.', params: ['meeting_id:string:Meeting'] },
    { name: 'get_recording_transcript', description: 'Get the transcript of a cloud recording.', params: ['recording_id:string:Recording'] },
    { name: 'end_meeting', description: 'End a meeting that is in progress for everyone.', params: ['meeting_id:string:Meeting'] },
    { name: 'add_webinar_registrant', description: 'Register someone for a webinar.', params: ['webinar_id:string:Webinar', 'email:string:Email', 'name:string:Name'] },
  ]),
  S('gmail', 'Gmail', 'Gmail mailbox: send, read, search and organise emails, drafts and labels.', [
    { name: 'draft', fields: ['to:string[]:Recipients', 'subject:string:Subject', 'body:string:Body'], actions: 'create list send delete' },
    { name: 'label', fields: ['name:string:Label name', 'color:string:Color'], actions: 'create list delete' },
  ], [
    { name: 'send_email', description: 'Send an email message.', params: ['to:string[]:Recipients', 'subject:string:Subject', 'body:string:Body (text or HTML)', 'cc:string[]:Cc', 'attachments:object:Attachments'] },
    { name: 'get_email', description: 'Read one email with headers, body and attachments list.', params: ['message_id:string:Message'] },
    { name: 'list_emails', description: 'List emails in the inbox or a label.', params: ['label:string:Label', 'max_results:integer:Count', 'unread_only:boolean:Only unread'] },
    { name: 'search_emails', description: 'Search emails with Gmail query syntax (from:, subject:, has:attachment…).', params: ['query:string:Gmail search query'] },
    { name: 'reply_to_email', description: 'Reply to an email in its thread.', params: ['message_id:string:Message', 'body:string:Reply', 'reply_all:boolean:Reply to all'] },
    { name: 'forward_email', description: 'Forward an email to other recipients.', params: ['message_id:string:Message', 'to:string[]:Recipients', 'note:string:Note'] },
    { name: 'trash_email', description: 'Move an email to the trash.', params: ['message_id:string:Message'] },
    { name: 'archive_email', description: 'Archive an email (remove it from the inbox).', params: ['message_id:string:Message'] },
    { name: 'mark_as_read', description: 'Mark emails as read or unread.', params: ['message_ids:string[]:Messages', 'read:boolean:Read or unread'] },
    { name: 'modify_labels', description: 'Add or remove labels on an email.', params: ['message_id:string:Message', 'add:string[]:Labels to add', 'remove:string[]:Labels to remove'] },
    { name: 'download_attachment', description: 'Download an attachment of an email.', params: ['message_id:string:Message', 'attachment_id:string:Attachment'] },
    { name: 'create_filter', description: 'Create a filter that labels, archives or forwards incoming mail automatically.', params: ['criteria:object:Match criteria', 'action:object:What to do'] },
    { name: 'set_vacation_responder', description: 'Turn the out-of-office auto-reply on or off.', params: ['enabled:boolean:On', 'message:string:Auto-reply text', 'end:string:Until'] },
  ]),
  S('outlook_mail', 'Outlook Mail', 'Microsoft Outlook mail (Microsoft 365): messages, folders and rules.', [
    { name: 'folder', label: 'mail folder', fields: ['display_name:string:Name', 'parent_folder_id:string:Parent'], actions: 'create list delete' },
    { name: 'rule', label: 'inbox rule', fields: ['display_name:string:Name', 'conditions:object:Conditions', 'actions:object:Actions'], actions: 'create list delete' },
  ], [
    { name: 'send_mail', description: 'Send a mail message from the signed-in mailbox.', params: ['to:string[]:Recipients', 'subject:string:Subject', 'body:string:Body', 'importance:enum=low|normal|high:Importance'] },
    { name: 'list_messages', description: 'List messages of a mail folder (Inbox by default).', params: ['folder_id:string:Folder', 'top:integer:Count', 'filter:string:OData filter'] },
    { name: 'get_message', description: 'Get one mail message.', params: ['message_id:string:Message'] },
    { name: 'search_messages', description: 'Search the mailbox for messages.', params: ['query:string:Search text'] },
    { name: 'reply_to_message', description: 'Reply or reply-all to a message.', params: ['message_id:string:Message', 'comment:string:Reply text', 'reply_all:boolean:Reply all'] },
    { name: 'forward_message', description: 'Forward a message.', params: ['message_id:string:Message', 'to:string[]:Recipients'] },
    { name: 'move_message', description: 'Move a message to another folder.', params: ['message_id:string:Message', 'destination_folder_id:string:Folder'] },
    { name: 'delete_message', description: 'Delete a message.', params: ['message_id:string:Message'] },
    { name: 'flag_message', description: 'Flag a message for follow-up.', params: ['message_id:string:Message', 'due:string:Follow-up date'] },
    { name: 'create_draft', description: 'Create a draft message to send later.', params: ['to:string[]:Recipients', 'subject:string:Subject', 'body:string:Body'] },
    { name: 'set_automatic_replies', description: 'Configure automatic replies (out of office).', params: ['status:enum=disabled|alwaysEnabled|scheduled:Status', 'message:string:Reply text'] },
  ]),
  S('twilio', 'Twilio', 'Twilio communications: SMS and WhatsApp messages, voice calls and phone numbers.', [
    { name: 'call', fields: ['to:string:Number to call', 'from:string:Caller number', 'twiml:string:Instructions'], actions: 'create get list' },
  ], [
    { name: 'send_sms', description: 'Send an SMS text message to a phone number.', params: ['to:string:Phone number (E.164)', 'body:string:Text', 'from:string:Sender number'] },
    { name: 'send_whatsapp_message', description: 'Send a WhatsApp message through Twilio.', params: ['to:string:WhatsApp number', 'body:string:Text'] },
    { name: 'list_messages', description: 'List sent and received SMS messages.', params: ['to:string:Filter by recipient', 'date_sent:string:Date'] },
    { name: 'get_message', description: 'Get the status and content of one message.', params: ['message_sid:string:Message SID'] },
    { name: 'buy_phone_number', description: 'Buy (provision) a phone number.', params: ['area_code:string:Area code', 'country:string:Country'] },
    { name: 'list_phone_numbers', description: 'List the phone numbers of the account.' },
    { name: 'release_phone_number', description: 'Release a phone number you no longer need.', params: ['number_sid:string:Number'] },
    { name: 'lookup_phone_number', description: 'Look up carrier and caller name of a phone number.', params: ['phone_number:string:Number'] },
    { name: 'get_call_recording', description: 'Get the recording of a call.', params: ['call_sid:string:Call'] },
  ]),
  S('sendgrid', 'SendGrid', 'SendGrid transactional and marketing email: sending, templates, contacts and statistics.', [
    { name: 'template', fields: ['name:string:Name', 'subject:string:Subject', 'html:string:HTML content'], actions: 'create get list update delete' },
    { name: 'contact', fields: ['email:string:Email', 'first_name:string:First name', 'last_name:string:Last name'], actions: 'create list delete search' },
    { name: 'contact_list', label: 'contact list', fields: ['name:string:Name'], actions: 'create list delete' },
  ], [
    { name: 'send_email', description: 'Send a transactional email, optionally from a dynamic template.', params: ['to:string[]:Recipients', 'from:string:Sender', 'subject:string:Subject', 'content:string:Body', 'template_id:string:Template'] },
    { name: 'get_email_stats', description: 'Delivery statistics: delivered, opens, clicks, bounces.', params: ['start_date:string:From', 'end_date:string:To'] },
    { name: 'list_bounces', description: 'List email addresses that bounced.' },
    { name: 'add_to_suppression_list', description: 'Stop sending to an address (unsubscribe group suppression).', params: ['email:string:Email', 'group_id:string:Unsubscribe group'] },
  ]),
  S('mailchimp', 'Mailchimp', 'Mailchimp email marketing: audiences, subscribers, campaigns and reports.', [
    { name: 'campaign', fields: ['subject_line:string:Subject', 'list_id:string:Audience', 'from_name:string:From name'], actions: 'create get list delete send' },
    { name: 'audience', fields: ['name:string:Name', 'permission_reminder:string:Why people get it'], actions: 'create get list' },
    { name: 'member', label: 'audience member', fields: ['email_address:string:Email', 'status:enum=subscribed|unsubscribed|pending:Status', 'tags:string[]:Tags'], parent: 'audience', actions: 'create get list update delete' },
    { name: 'template', fields: ['name:string:Name', 'html:string:HTML'], actions: 'create list' },
  ], [
    { name: 'schedule_campaign', description: 'Schedule a campaign to be sent at a given time.', params: ['campaign_id:string:Campaign', 'schedule_time:string:When'] },
    { name: 'unsubscribe_member', description: 'Unsubscribe a contact from an audience.', params: ['audience_id:string:Audience', 'email:string:Email'] },
    { name: 'get_campaign_report', description: 'Opens, clicks and unsubscribes of a sent campaign.', params: ['campaign_id:string:Campaign'] },
    { name: 'send_test_email', description: 'Send a test of a campaign to a few addresses.', params: ['campaign_id:string:Campaign', 'emails:string[]:Addresses'] },
  ]),
  // --- calendars and files ----------------------------------------------------------------
  S('google_calendar', 'Google Calendar', 'Google Calendar: events, calendars, free/busy and invitations.', [
    { name: 'event', fields: ['summary:string:Title', 'start:string:Start time', 'end:string:End time', 'attendees:string[]:Guest emails', 'location:string:Location', 'description:string:Notes'], parent: 'calendar', actions: 'create get list update delete search' },
    { name: 'calendar', fields: ['summary:string:Name', 'time_zone:string:Time zone'], actions: 'create get list delete' },
  ], [
    { name: 'query_free_busy', description: 'Find free and busy time of people or calendars in a time range.', params: ['emails:string[]:People or calendars', 'time_min:string:From', 'time_max:string:To'] },
    { name: 'respond_to_event', description: 'Accept, decline or tentatively accept an event invitation.', params: ['event_id:string:Event', 'response:enum=accepted|declined|tentative:Answer'] },
    { name: 'quick_add_event', description: 'Create an event from a sentence like "Lunch with Ana tomorrow at noon".', params: ['text:string:Event in plain words'] },
    { name: 'share_calendar', description: 'Share a calendar with someone (read or edit).', params: ['calendar_id:string:Calendar', 'email:string:Person', 'role:enum=reader|writer:Access'] },
    { name: 'move_event', description: 'Move an event to another calendar.', params: ['event_id:string:Event', 'destination_calendar_id:string:Calendar'] },
  ]),
  S('outlook_calendar', 'Outlook Calendar', 'Microsoft Outlook calendar (Microsoft 365): events, meeting invitations and scheduling.', [
    { name: 'event', fields: ['subject:string:Subject', 'start:string:Start', 'end:string:End', 'attendees:string[]:Attendees', 'location:string:Location', 'is_online_meeting:boolean:Add a Teams link'], actions: 'create get list update delete' },
    { name: 'calendar', fields: ['name:string:Name'], actions: 'create list' },
  ], [
    { name: 'accept_event', description: 'Accept a meeting invitation.', params: ['event_id:string:Event', 'comment:string:Comment'] },
    { name: 'decline_event', description: 'Decline a meeting invitation.', params: ['event_id:string:Event', 'comment:string:Comment'] },
    { name: 'cancel_event', description: 'Cancel a meeting you organise and notify attendees.', params: ['event_id:string:Event', 'comment:string:Message to attendees'] },
    { name: 'find_meeting_times', description: 'Suggest meeting times when all attendees are available.', params: ['attendees:string[]:Attendees', 'duration_minutes:integer:Length'] },
  ]),
  S('calendly', 'Calendly', 'Calendly scheduling: event types, booked meetings and invitees.', [
    { name: 'event_type', label: 'event type', actions: 'get list' },
    { name: 'scheduled_event', label: 'scheduled event', actions: 'get list cancel' },
  ], [
    { name: 'list_invitees', description: 'List the invitees of a scheduled event.', params: ['event_id:string:Event'] },
    { name: 'create_scheduling_link', description: 'Create a single-use booking link for an event type.', params: ['event_type_id:string:Event type', 'max_event_count:integer:Uses'] },
    { name: 'get_availability', description: 'Get your available booking slots for an event type.', params: ['event_type_id:string:Event type', 'start:string:From', 'end:string:To'] },
  ]),
  S('google_drive', 'Google Drive', 'Google Drive: files and folders, sharing and permissions.', [
    { name: 'file', fields: ['name:string:Name', 'parent_id:string:Folder'], actions: 'get list search delete copy move rename share download' },
    { name: 'folder', fields: ['name:string:Folder name', 'parent_id:string:Parent folder'], actions: 'create list delete' },
    { name: 'permission', parent: 'file', actions: 'list update delete' },
  ], [
    { name: 'upload_file', description: 'Upload a file to Drive.', params: ['name:string:File name', 'content_base64:string:Content', 'mime_type:string:Type', 'parent_id:string:Folder'] },
    { name: 'export_file', description: 'Export a Google Doc, Sheet or Slides file to PDF, DOCX, XLSX…', params: ['file_id:string:File', 'mime_type:string:Target format'] },
    { name: 'empty_trash', description: 'Permanently delete everything in the trash.' },
    { name: 'list_revisions', description: 'List the revisions (version history) of a file.', params: ['file_id:string:File'] },
    { name: 'restore_file', description: 'Restore a file from the trash.', params: ['file_id:string:File'] },
  ]),
  S('dropbox', 'Dropbox', 'Dropbox: files, folders and shared links.', [
    { name: 'file', fields: ['path:string:Path'], actions: 'get list search delete copy move download restore' },
    { name: 'folder', fields: ['path:string:Folder path'], actions: 'create list delete' },
    { name: 'shared_link', label: 'shared link', fields: ['path:string:Path', 'expires:string:Expiry', 'password:string:Password'], actions: 'create list' },
  ], [
    { name: 'upload_file', description: 'Upload a file to a Dropbox path.', params: ['path:string:Destination path', 'content_base64:string:Content', 'overwrite:boolean:Overwrite'] },
    { name: 'revoke_shared_link', description: 'Revoke a shared link so it stops working.', params: ['url:string:Link'] },
    { name: 'get_space_usage', description: 'How much storage space is used and left.' },
    { name: 'list_file_revisions', description: 'List earlier versions of a file.', params: ['path:string:Path'] },
  ]),
  S('onedrive', 'OneDrive', 'Microsoft OneDrive: files, folders and sharing links.', [
    { name: 'item', label: 'drive item', fields: ['name:string:Name', 'parent_id:string:Folder'], actions: 'get list search delete copy move download' },
  ], [
    { name: 'upload_file', description: 'Upload a file to OneDrive.', params: ['path:string:Path', 'content_base64:string:Content'] },
    { name: 'create_folder', description: 'Create a folder.', params: ['name:string:Name', 'parent_id:string:Parent'] },
    { name: 'create_sharing_link', description: 'Create a view or edit link to share an item.', params: ['item_id:string:Item', 'type:enum=view|edit:Link type', 'scope:enum=anonymous|organization:Who can use it'] },
    { name: 'invite_to_item', description: 'Share an item with people by email.', params: ['item_id:string:Item', 'emails:string[]:People', 'role:enum=read|write:Access'] },
  ]),
  S('box', 'Box', 'Box enterprise content: files, folders, collaborations and comments.', [
    { name: 'file', fields: ['name:string:Name'], actions: 'get delete copy move download' },
    { name: 'folder', fields: ['name:string:Name', 'parent_id:string:Parent'], actions: 'create list delete share' },
    { name: 'collaboration', fields: ['item_id:string:File or folder', 'email:string:Collaborator', 'role:string:Role'], actions: 'create list delete' },
  ], [
    { name: 'upload_file', description: 'Upload a file to a Box folder.', params: ['folder_id:string:Folder', 'name:string:Name', 'content_base64:string:Content'] },
    { name: 'lock_file', description: 'Lock a file so others cannot edit it.', params: ['file_id:string:File', 'expires_at:string:Until'] },
    { name: 'unlock_file', description: 'Unlock a locked file.', params: ['file_id:string:File'] },
    { name: 'add_file_comment', description: 'Comment on a file.', params: ['file_id:string:File', 'message:string:Comment'] },
  ]),
  S('google_docs', 'Google Docs', 'Google Docs documents: create, read and edit text.', [
    { name: 'document', fields: ['title:string:Title'], actions: 'create get' },
  ], [
    { name: 'insert_text', description: 'Insert text at a position or at the end of a document.', params: ['document_id:string:Document', 'text:string:Text', 'index:integer:Position'] },
    { name: 'replace_text', description: 'Find and replace text everywhere in a document.', params: ['document_id:string:Document', 'find:string:Text to find', 'replace:string:Replacement'] },
    { name: 'add_comment', description: 'Add a comment to a document.', params: ['document_id:string:Document', 'content:string:Comment'] },
    { name: 'export_document', description: 'Export a document as PDF, DOCX or plain text.', params: ['document_id:string:Document', 'format:enum=pdf|docx|txt:Format'] },
    { name: 'insert_table', description: 'Insert a table into a document.', params: ['document_id:string:Document', 'rows:integer:Rows', 'columns:integer:Columns'] },
  ]),
  S('google_sheets', 'Google Sheets', 'Google Sheets spreadsheets: read and write cells, rows, sheets and charts.', [
    { name: 'spreadsheet', fields: ['title:string:Title'], actions: 'create get' },
  ], [
    { name: 'read_range', description: 'Read the values of a cell range, e.g. Sheet1!A1:D20.', params: ['spreadsheet_id:string:Spreadsheet', 'range:string:A1 range'] },
    { name: 'write_range', description: 'Write values into a cell range, replacing what is there.', params: ['spreadsheet_id:string:Spreadsheet', 'range:string:A1 range', 'values:object:Rows of values'] },
    { name: 'append_rows', description: 'Append rows after the last row of a table.', params: ['spreadsheet_id:string:Spreadsheet', 'range:string:Table range', 'values:object:Rows'] },
    { name: 'clear_range', description: 'Clear the values of a range.', params: ['spreadsheet_id:string:Spreadsheet', 'range:string:A1 range'] },
    { name: 'add_sheet', description: 'Add a new sheet (tab) to a spreadsheet.', params: ['spreadsheet_id:string:Spreadsheet', 'title:string:Tab name'] },
    { name: 'delete_sheet', description: 'Delete a sheet (tab).', params: ['spreadsheet_id:string:Spreadsheet', 'sheet_id:integer:Sheet'] },
    { name: 'create_chart', description: 'Create a chart from a data range.', params: ['spreadsheet_id:string:Spreadsheet', 'range:string:Data', 'chart_type:enum=LINE|BAR|PIE|COLUMN:Type'] },
    { name: 'sort_range', description: 'Sort a range by one or more columns.', params: ['spreadsheet_id:string:Spreadsheet', 'range:string:Range', 'column:integer:Sort column', 'ascending:boolean:Order'] },
    { name: 'format_cells', description: 'Format cells: bold, colors, number format, borders.', params: ['spreadsheet_id:string:Spreadsheet', 'range:string:Range', 'format:object:Format'] },
  ]),
  S('airtable', 'Airtable', 'Airtable bases: tables, fields and records.', [
    { name: 'base', actions: 'get list' },
    { name: 'table', fields: ['name:string:Name', 'fields:object:Field definitions'], parent: 'base', actions: 'create list' },
    { name: 'record', fields: ['fields:object:Field values'], parent: 'table', actions: 'create get list update delete search' },
  ]),
  S('docusign', 'DocuSign', 'DocuSign electronic signatures: envelopes, templates and recipients.', [
    { name: 'envelope', fields: ['document_base64:string:Document to sign', 'signers:object:Signers (name, email)', 'subject:string:Email subject'], actions: 'create get list' },
    { name: 'template', actions: 'get list' },
  ], [
    { name: 'send_envelope', description: 'Send a draft envelope out for signature.', params: ['envelope_id:string:Envelope'] },
    { name: 'void_envelope', description: 'Void (cancel) an envelope that is out for signature.', params: ['envelope_id:string:Envelope', 'reason:string:Reason'] },
    { name: 'get_envelope_status', description: 'Who has signed an envelope and who has not.', params: ['envelope_id:string:Envelope'] },
    { name: 'download_signed_document', description: 'Download the completed, signed documents.', params: ['envelope_id:string:Envelope'] },
    { name: 'send_signing_reminder', description: 'Remind signers who have not signed yet.', params: ['envelope_id:string:Envelope'] },
    { name: 'create_envelope_from_template', description: 'Start an envelope from a template with recipients filled in.', params: ['template_id:string:Template', 'signers:object:Signers'] },
  ]),
  // --- CRM and support --------------------------------------------------------------------
  S('salesforce', 'Salesforce', 'Salesforce CRM: accounts, contacts, leads, opportunities, cases and tasks.', [
    { name: 'account', fields: ['name:string:Company name', 'industry:string:Industry', 'website:string:Website'], actions: 'create get update delete search' },
    { name: 'contact', fields: ['first_name:string:First name', 'last_name:string:Last name', 'email:string:Email', 'account_id:string:Account'], actions: 'create get update delete search' },
    { name: 'lead', fields: ['company:string:Company', 'last_name:string:Last name', 'email:string:Email', 'status:string:Lead status'], actions: 'create get list update delete' },
    { name: 'opportunity', plural: 'opportunities', fields: ['name:string:Name', 'amount:number:Amount', 'stage:string:Stage', 'close_date:string:Close date'], actions: 'create get list update delete' },
    { name: 'case', fields: ['subject:string:Subject', 'description:string:Description', 'priority:string:Priority'], actions: 'create get list update close comment' },
  ], [
    { name: 'convert_lead', description: 'Convert a qualified lead into an account, contact and opportunity.', params: ['lead_id:string:Lead'] },
    { name: 'run_soql_query', description: 'Run a SOQL query and return the records.', params: ['query:string:SOQL'] },
    { name: 'log_call', description: 'Log a call activity on a record.', params: ['record_id:string:Record', 'subject:string:Subject', 'notes:string:Notes'] },
    { name: 'create_task', description: 'Create a follow-up task on a record.', params: ['record_id:string:Record', 'subject:string:Subject', 'due_date:string:Due'] },
    { name: 'get_report', description: 'Run a saved report and return its rows.', params: ['report_id:string:Report'] },
  ]),
  S('hubspot', 'HubSpot', 'HubSpot CRM and marketing: contacts, companies, deals, tickets and notes.', [
    { name: 'contact', fields: ['email:string:Email', 'firstname:string:First name', 'lastname:string:Last name', 'phone:string:Phone'], actions: 'create get list update delete search' },
    { name: 'company', plural: 'companies', fields: ['name:string:Name', 'domain:string:Website domain'], actions: 'create get list update delete' },
    { name: 'deal', fields: ['dealname:string:Name', 'amount:number:Amount', 'dealstage:string:Stage', 'pipeline:string:Pipeline'], actions: 'create get list update delete' },
    { name: 'ticket', fields: ['subject:string:Subject', 'content:string:Description', 'priority:enum=LOW|MEDIUM|HIGH:Priority'], actions: 'create get list update close' },
  ], [
    { name: 'create_note', description: 'Add a note to a contact, company or deal timeline.', params: ['object_id:string:Record', 'body:string:Note'] },
    { name: 'associate_records', description: 'Associate two records, e.g. a contact with a company.', params: ['from_id:string:Record', 'to_id:string:Record', 'type:string:Association'] },
    { name: 'enroll_in_sequence', description: 'Enroll a contact in a sales email sequence.', params: ['contact_id:string:Contact', 'sequence_id:string:Sequence'] },
    { name: 'move_deal_stage', description: 'Move a deal to another pipeline stage.', params: ['deal_id:string:Deal', 'stage:string:Stage'] },
  ]),
  S('zendesk', 'Zendesk', 'Zendesk Support: customer tickets, users, organizations and macros.', [
    { name: 'ticket', fields: ['subject:string:Subject', 'comment:string:First comment', 'priority:enum=low|normal|high|urgent:Priority', 'requester_email:string:Requester'], actions: 'create get list update delete assign close comment search' },
    { name: 'user', fields: ['name:string:Name', 'email:string:Email', 'role:enum=end-user|agent|admin:Role'], actions: 'create get list search' },
    { name: 'organization', fields: ['name:string:Name', 'domain_names:string[]:Domains'], actions: 'create list' },
  ], [
    { name: 'merge_tickets', description: 'Merge duplicate tickets into one.', params: ['target_id:string:Ticket to keep', 'source_ids:string[]:Duplicates'] },
    { name: 'apply_macro', description: 'Apply a macro (canned response and field changes) to a ticket.', params: ['ticket_id:string:Ticket', 'macro_id:string:Macro'] },
    { name: 'add_ticket_tags', description: 'Add tags to a ticket.', params: ['ticket_id:string:Ticket', 'tags:string[]:Tags'] },
    { name: 'get_satisfaction_ratings', description: 'Customer satisfaction (CSAT) ratings of solved tickets.', params: ['since:string:From'] },
  ]),
  S('intercom', 'Intercom', 'Intercom customer messaging: conversations, contacts, help-center articles and tags.', [
    { name: 'conversation', actions: 'get list assign close' },
    { name: 'contact', fields: ['email:string:Email', 'name:string:Name', 'role:enum=user|lead:Role'], actions: 'create get list update delete search' },
    { name: 'article', fields: ['title:string:Title', 'body:string:HTML body', 'author_id:string:Author'], actions: 'create list update' },
  ], [
    { name: 'reply_to_conversation', description: 'Reply to a conversation as an admin, or add an internal note.', params: ['conversation_id:string:Conversation', 'body:string:Message', 'type:enum=comment|note:Reply or note'] },
    { name: 'snooze_conversation', description: 'Snooze a conversation until a time.', params: ['conversation_id:string:Conversation', 'until:string:Until'] },
    { name: 'send_message', description: 'Start an outbound message to a contact (in-app or email).', params: ['contact_id:string:Contact', 'body:string:Message', 'channel:enum=in_app|email:Channel'] },
    { name: 'tag_contact', description: 'Tag a contact.', params: ['contact_id:string:Contact', 'tag:string:Tag'] },
  ]),
  S('freshdesk', 'Freshdesk', 'Freshdesk helpdesk: tickets, contacts, agents and knowledge base.', [
    { name: 'ticket', fields: ['subject:string:Subject', 'description:string:Description', 'email:string:Requester', 'priority:integer:1-4'], actions: 'create get list update delete search' },
    { name: 'contact', fields: ['name:string:Name', 'email:string:Email'], actions: 'create get list update' },
    { name: 'agent', actions: 'get list' },
  ], [
    { name: 'reply_to_ticket', description: 'Send a public reply on a ticket.', params: ['ticket_id:string:Ticket', 'body:string:Reply'] },
    { name: 'add_note', description: 'Add a private note to a ticket.', params: ['ticket_id:string:Ticket', 'body:string:Note'] },
    { name: 'create_solution_article', description: 'Write a knowledge-base article.', params: ['folder_id:string:Folder', 'title:string:Title', 'description:string:Body'] },
  ]),
  // --- payments, accounting and commerce ---------------------------------------------------
  S('stripe', 'Stripe', 'Stripe payments: customers, payments, refunds, subscriptions, invoices and payouts.', [
    { name: 'customer', fields: ['email:string:Email', 'name:string:Name', 'payment_method:string:Default payment method'], actions: 'create get list update delete search' },
    { name: 'payment_intent', label: 'payment', fields: ['amount:integer:Amount in cents', 'currency:string:Currency', 'customer_id:string:Customer'], actions: 'create get list cancel' },
    { name: 'refund', fields: ['payment_intent_id:string:Payment to refund', 'amount:integer:Amount in cents', 'reason:enum=duplicate|fraudulent|requested_by_customer:Reason'], actions: 'create get list' },
    { name: 'subscription', fields: ['customer_id:string:Customer', 'price_id:string:Price', 'trial_days:integer:Trial'], actions: 'create get list update cancel' },
    { name: 'invoice', fields: ['customer_id:string:Customer', 'description:string:Memo', 'due_date:string:Due'], actions: 'create get list send' },
    { name: 'product', fields: ['name:string:Name', 'description:string:Description'], actions: 'create list' },
    { name: 'price', fields: ['product_id:string:Product', 'unit_amount:integer:Amount in cents', 'currency:string:Currency', 'recurring:string:Interval'], actions: 'create list' },
  ], [
    { name: 'capture_payment', description: 'Capture a payment that was authorized earlier.', params: ['payment_intent_id:string:Payment', 'amount:integer:Amount'] },
    { name: 'finalize_invoice', description: 'Finalize a draft invoice so it can be paid.', params: ['invoice_id:string:Invoice'] },
    { name: 'void_invoice', description: 'Void an open invoice.', params: ['invoice_id:string:Invoice'] },
    { name: 'create_checkout_session', description: 'Create a hosted Checkout page for a purchase or subscription.', params: ['price_id:string:Price', 'mode:enum=payment|subscription:Mode', 'success_url:string:Return URL'] },
    { name: 'create_payment_link', description: 'Create a shareable payment link.', params: ['price_id:string:Price', 'quantity:integer:Quantity'] },
    { name: 'get_balance', description: 'Current account balance, available and pending.' },
    { name: 'list_payouts', description: 'List payouts to your bank account.' },
    { name: 'list_disputes', description: 'List chargebacks (disputes) raised by cardholders.' },
    { name: 'create_coupon', description: 'Create a discount coupon (percent or amount off).', params: ['percent_off:number:Percent', 'amount_off:integer:Amount', 'duration:enum=once|repeating|forever:Duration'] },
  ]),
  S('paypal', 'PayPal', 'PayPal: orders, payments, refunds, invoices, payouts and subscriptions.', [
    { name: 'order', fields: ['amount:string:Amount', 'currency:string:Currency', 'description:string:Description'], actions: 'create get' },
    { name: 'invoice', fields: ['recipient_email:string:Recipient', 'items:object:Line items', 'due_date:string:Due'], actions: 'create get list send cancel' },
    { name: 'subscription', fields: ['plan_id:string:Plan', 'subscriber_email:string:Subscriber'], actions: 'create get cancel' },
  ], [
    { name: 'capture_order', description: 'Capture payment for an approved order.', params: ['order_id:string:Order'] },
    { name: 'refund_payment', description: 'Refund a captured payment, fully or partly.', params: ['capture_id:string:Captured payment', 'amount:string:Amount'] },
    { name: 'send_payout', description: 'Send money to one or more PayPal accounts or emails.', params: ['recipients:object:Recipients and amounts', 'note:string:Note'] },
    { name: 'send_invoice_reminder', description: 'Remind the recipient of an unpaid invoice.', params: ['invoice_id:string:Invoice'] },
    { name: 'list_transactions', description: 'List account transactions in a date range.', params: ['start_date:string:From', 'end_date:string:To'] },
    { name: 'get_balance', description: 'Balance of the PayPal account per currency.' },
    { name: 'suspend_subscription', description: 'Pause billing of a subscription.', params: ['subscription_id:string:Subscription', 'reason:string:Reason'] },
  ]),
  S('square', 'Square', 'Square point of sale: payments, orders, customers, catalog, inventory and bookings.', [
    { name: 'payment', fields: ['amount:integer:Amount in cents', 'source_id:string:Card nonce', 'location_id:string:Location'], actions: 'create get list cancel' },
    { name: 'customer', fields: ['given_name:string:First name', 'family_name:string:Last name', 'email_address:string:Email', 'phone_number:string:Phone'], actions: 'create get list update delete' },
    { name: 'order', fields: ['location_id:string:Location', 'line_items:object:Items'], actions: 'create get list' },
    { name: 'catalog_item', label: 'catalog item', fields: ['name:string:Item name', 'price:integer:Price in cents', 'category:string:Category'], actions: 'create list update delete' },
    { name: 'booking', fields: ['start_at:string:Start', 'customer_id:string:Customer', 'service_variation_id:string:Service'], actions: 'create list cancel' },
  ], [
    { name: 'refund_payment', description: 'Refund a Square payment.', params: ['payment_id:string:Payment', 'amount:integer:Amount'] },
    { name: 'get_inventory_count', description: 'Stock on hand of catalog items per location.', params: ['catalog_object_ids:string[]:Items', 'location_id:string:Location'] },
    { name: 'adjust_inventory', description: 'Adjust stock of an item (received, sold, waste).', params: ['catalog_object_id:string:Item', 'quantity:integer:Change', 'reason:string:Reason'] },
    { name: 'list_locations', description: 'List the business locations.' },
  ]),
  S('quickbooks', 'QuickBooks', 'QuickBooks Online accounting: invoices, customers, bills, vendors, payments, expenses and reports.', [
    { name: 'invoice', fields: ['customer_id:string:Customer', 'lines:object:Line items', 'due_date:string:Due date'], actions: 'create get list update delete send' },
    { name: 'customer', fields: ['display_name:string:Name', 'email:string:Email'], actions: 'create get list update' },
    { name: 'bill', fields: ['vendor_id:string:Vendor', 'lines:object:Lines', 'due_date:string:Due'], actions: 'create get list' },
    { name: 'vendor', fields: ['display_name:string:Name', 'email:string:Email'], actions: 'create list' },
    { name: 'payment', fields: ['customer_id:string:Customer', 'amount:number:Amount', 'invoice_id:string:Invoice paid'], actions: 'create list' },
    { name: 'expense', fields: ['account_id:string:Payment account', 'amount:number:Amount', 'vendor_id:string:Payee', 'category:string:Category'], actions: 'create list' },
    { name: 'estimate', fields: ['customer_id:string:Customer', 'lines:object:Lines'], actions: 'create list' },
  ], [
    { name: 'void_invoice', description: 'Void an invoice (keeps it with zero amounts).', params: ['invoice_id:string:Invoice'] },
    { name: 'pay_bill', description: 'Record payment of a vendor bill.', params: ['bill_id:string:Bill', 'amount:number:Amount', 'account_id:string:Paid from'] },
    { name: 'get_profit_and_loss', description: 'Profit and loss report for a period.', params: ['start_date:string:From', 'end_date:string:To'] },
    { name: 'get_balance_sheet', description: 'Balance sheet report at a date.', params: ['date:string:As of'] },
    { name: 'get_accounts_receivable_aging', description: 'Unpaid customer invoices by age.', params: ['date:string:As of'] },
  ]),
  S('xero', 'Xero', 'Xero accounting: invoices, contacts, bank transactions, payments, quotes and reports.', [
    { name: 'invoice', fields: ['contact_id:string:Contact', 'line_items:object:Lines', 'due_date:string:Due', 'type:enum=ACCREC|ACCPAY:Sales or bill'], actions: 'create get list update' },
    { name: 'contact', fields: ['name:string:Name', 'email_address:string:Email'], actions: 'create get list update' },
    { name: 'bank_transaction', label: 'bank transaction', fields: ['bank_account_id:string:Account', 'amount:number:Amount', 'type:enum=SPEND|RECEIVE:Type'], actions: 'create list' },
    { name: 'quote', fields: ['contact_id:string:Contact', 'line_items:object:Lines'], actions: 'create list' },
  ], [
    { name: 'create_payment', description: 'Record a payment against an invoice.', params: ['invoice_id:string:Invoice', 'amount:number:Amount', 'account_id:string:Bank account'] },
    { name: 'email_invoice', description: 'Email an invoice to its contact.', params: ['invoice_id:string:Invoice'] },
    { name: 'get_profit_and_loss_report', description: 'Profit and loss report.', params: ['from_date:string:From', 'to_date:string:To'] },
    { name: 'get_balance_sheet_report', description: 'Balance sheet report.', params: ['date:string:Date'] },
    { name: 'reconcile_bank_transaction', description: 'Match a bank statement line to a transaction.', params: ['statement_line_id:string:Statement line', 'transaction_id:string:Transaction'] },
  ]),
  S('shopify', 'Shopify', 'Shopify store: products, orders, customers, inventory, discounts and collections.', [
    { name: 'product', fields: ['title:string:Title', 'body_html:string:Description', 'vendor:string:Vendor', 'price:string:Price', 'tags:string[]:Tags'], actions: 'create get list update delete' },
    { name: 'order', fields: ['note:string:Note', 'tags:string[]:Tags'], actions: 'get list update cancel close' },
    { name: 'customer', fields: ['email:string:Email', 'first_name:string:First name', 'last_name:string:Last name'], actions: 'create get list update search' },
    { name: 'collection', fields: ['title:string:Title', 'rules:object:Automatic rules'], actions: 'create list' },
    { name: 'discount_code', label: 'discount code', fields: ['code:string:Code', 'percentage:number:Percent off', 'ends_at:string:Ends'], actions: 'create list delete' },
  ], [
    { name: 'fulfill_order', description: 'Fulfill (ship) an order with a tracking number.', params: ['order_id:string:Order', 'tracking_number:string:Tracking', 'carrier:string:Carrier'] },
    { name: 'refund_order', description: 'Refund an order, fully or some items, and restock.', params: ['order_id:string:Order', 'amount:string:Amount', 'restock:boolean:Restock items'] },
    { name: 'create_draft_order', description: 'Create a draft order to send an invoice to a customer.', params: ['customer_id:string:Customer', 'line_items:object:Items'] },
    { name: 'set_inventory_level', description: 'Set the available quantity of a product variant at a location.', params: ['inventory_item_id:string:Item', 'location_id:string:Location', 'available:integer:Quantity'] },
    { name: 'get_inventory_levels', description: 'Stock of products per location.', params: ['inventory_item_ids:string[]:Items'] },
    { name: 'add_product_to_collection', description: 'Add a product to a collection.', params: ['product_id:string:Product', 'collection_id:string:Collection'] },
    { name: 'get_sales_report', description: 'Sales totals by day, product or channel.', params: ['since:string:From', 'until:string:To', 'group_by:string:Grouping'] },
  ]),
  S('woocommerce', 'WooCommerce', 'WooCommerce (WordPress) shop: products, orders, customers, coupons and refunds.', [
    { name: 'product', fields: ['name:string:Name', 'regular_price:string:Price', 'stock_quantity:integer:Stock', 'categories:string[]:Categories'], actions: 'create get list update delete' },
    { name: 'order', fields: ['status:enum=pending|processing|completed|cancelled|refunded:Status'], actions: 'get list update delete' },
    { name: 'customer', fields: ['email:string:Email', 'first_name:string:First name'], actions: 'create get list' },
    { name: 'coupon', fields: ['code:string:Code', 'discount_type:enum=percent|fixed_cart:Type', 'amount:string:Amount'], actions: 'create list delete' },
  ], [
    { name: 'create_refund', description: 'Refund an order.', params: ['order_id:string:Order', 'amount:string:Amount', 'reason:string:Reason'] },
    { name: 'add_order_note', description: 'Add a note to an order (private or to the customer).', params: ['order_id:string:Order', 'note:string:Note', 'customer_note:boolean:Visible to customer'] },
    { name: 'get_sales_report', description: 'Sales report for a period.', params: ['period:enum=week|month|year:Period'] },
  ]),
  // --- HR --------------------------------------------------------------------------------
  S('bamboohr', 'BambooHR', 'BambooHR human resources: employees, time-off requests and reports.', [
    { name: 'employee', fields: ['first_name:string:First name', 'last_name:string:Last name', 'job_title:string:Job title', 'department:string:Department', 'hire_date:string:Hire date'], actions: 'create get list update' },
    { name: 'time_off_request', label: 'time-off request', fields: ['employee_id:string:Employee', 'start:string:First day', 'end:string:Last day', 'type:string:Vacation, sick…'], actions: 'create list approve reject' },
  ], [
    { name: 'get_whos_out', description: 'Who is out (on leave or vacation) in a date range.', params: ['start:string:From', 'end:string:To'] },
    { name: 'get_employee_directory', description: 'The company directory with names, titles and contact details.' },
    { name: 'run_custom_report', description: 'Run a custom HR report with chosen fields.', params: ['fields:string[]:Fields'] },
    { name: 'get_time_off_balance', description: 'Remaining vacation and sick days of an employee.', params: ['employee_id:string:Employee'] },
  ]),
  S('greenhouse', 'Greenhouse', 'Greenhouse recruiting: jobs, candidates, applications, interviews and offers.', [
    { name: 'candidate', fields: ['first_name:string:First name', 'last_name:string:Last name', 'email:string:Email', 'resume_url:string:Resume'], actions: 'create get list update' },
    { name: 'job', fields: ['title:string:Job title', 'department:string:Department', 'location:string:Location'], actions: 'create get list close' },
    { name: 'application', parent: 'job', actions: 'get list reject' },
    { name: 'offer', fields: ['application_id:string:Application', 'salary:number:Salary', 'start_date:string:Start'], actions: 'create get' },
  ], [
    { name: 'advance_application', description: 'Move an application to the next interview stage.', params: ['application_id:string:Application', 'to_stage:string:Stage'] },
    { name: 'schedule_interview', description: 'Schedule an interview for an application with interviewers.', params: ['application_id:string:Application', 'start:string:Start', 'interviewers:string[]:Interviewers'] },
    { name: 'list_scorecards', description: 'Interviewers’ scorecards (feedback) for an application.', params: ['application_id:string:Application'] },
  ]),
  S('gusto', 'Gusto', 'Gusto payroll and benefits: payrolls, employees and contractors.', [
    { name: 'payroll', actions: 'get list' },
    { name: 'employee', fields: ['first_name:string:First name', 'last_name:string:Last name', 'email:string:Email', 'salary:number:Annual salary'], actions: 'create get list update' },
    { name: 'contractor', fields: ['first_name:string:First name', 'last_name:string:Last name', 'email:string:Email', 'hourly_rate:number:Rate'], actions: 'create list' },
  ], [
    { name: 'submit_payroll', description: 'Calculate and submit a payroll run so employees get paid.', params: ['payroll_id:string:Payroll'] },
    { name: 'terminate_employee', description: 'Terminate an employee with a last day of work.', params: ['employee_id:string:Employee', 'effective_date:string:Last day'] },
    { name: 'pay_contractor', description: 'Pay a contractor for hours or a fixed amount.', params: ['contractor_id:string:Contractor', 'amount:number:Amount', 'hours:number:Hours'] },
    { name: 'get_pay_stubs', description: 'Pay stubs (payslips) of an employee.', params: ['employee_id:string:Employee'] },
  ]),
  S('expensify', 'Expensify', 'Expensify expense management: expenses, receipts and expense reports.', [
    { name: 'expense', fields: ['merchant:string:Merchant', 'amount:number:Amount', 'currency:string:Currency', 'date:string:Date', 'category:string:Category'], actions: 'create get list delete' },
    { name: 'report', label: 'expense report', fields: ['title:string:Title', 'expense_ids:string[]:Expenses'], actions: 'create get list approve export' },
  ], [
    { name: 'submit_report', description: 'Submit an expense report for approval.', params: ['report_id:string:Report', 'approver:string:Approver'] },
    { name: 'scan_receipt', description: 'Scan a receipt photo and create an expense from it (SmartScan).', params: ['image_base64:string:Receipt image'] },
    { name: 'reimburse_report', description: 'Reimburse an approved expense report.', params: ['report_id:string:Report'] },
  ]),
  // --- media and social ------------------------------------------------------------------
  S('spotify', 'Spotify', 'Spotify music: search, playback, playlists and your library.', [
    { name: 'playlist', fields: ['name:string:Name', 'description:string:Description', 'public:boolean:Public'], actions: 'create get list update' },
  ], [
    { name: 'search', description: 'Search songs, albums, artists or podcasts.', params: ['query:string:Search text', 'type:enum=track|album|artist|show:Type'] },
    { name: 'play', description: 'Start or resume playback of a track, album or playlist.', params: ['uri:string:What to play', 'device_id:string:Device'] },
    { name: 'pause', description: 'Pause playback.' },
    { name: 'skip_to_next', description: 'Skip to the next track.' },
    { name: 'skip_to_previous', description: 'Go back to the previous track.' },
    { name: 'set_volume', description: 'Set the playback volume.', params: ['volume_percent:integer:0-100'] },
    { name: 'get_currently_playing', description: 'What is playing now.' },
    { name: 'add_tracks_to_playlist', description: 'Add songs to a playlist.', params: ['playlist_id:string:Playlist', 'uris:string[]:Tracks'] },
    { name: 'remove_tracks_from_playlist', description: 'Remove songs from a playlist.', params: ['playlist_id:string:Playlist', 'uris:string[]:Tracks'] },
    { name: 'save_tracks', description: 'Save (like) tracks to your library.', params: ['ids:string[]:Tracks'] },
    { name: 'get_recommendations', description: 'Recommended tracks based on seed artists, tracks or genres.', params: ['seed_tracks:string[]:Tracks', 'seed_genres:string[]:Genres'] },
    { name: 'add_to_queue', description: 'Add a track to the playback queue.', params: ['uri:string:Track'] },
  ]),
  S('youtube', 'YouTube', 'YouTube: videos, playlists, comments, channels and analytics.', [
    { name: 'video', fields: ['title:string:Title', 'description:string:Description', 'privacy:enum=public|unlisted|private:Privacy', 'tags:string[]:Tags'], actions: 'get update delete search' },
    { name: 'playlist', fields: ['title:string:Title', 'privacy:enum=public|unlisted|private:Privacy'], actions: 'create list delete' },
  ], [
    { name: 'upload_video', description: 'Upload a video file to the channel.', params: ['title:string:Title', 'file_base64:string:Video file', 'privacy:enum=public|unlisted|private:Privacy'] },
    { name: 'add_video_to_playlist', description: 'Add a video to a playlist.', params: ['playlist_id:string:Playlist', 'video_id:string:Video'] },
    { name: 'list_comments', description: 'List the comments under a video.', params: ['video_id:string:Video'] },
    { name: 'reply_to_comment', description: 'Reply to a comment.', params: ['comment_id:string:Comment', 'text:string:Reply'] },
    { name: 'delete_comment', description: 'Delete a comment.', params: ['comment_id:string:Comment'] },
    { name: 'get_channel', description: 'Channel details: subscribers, views, videos.', params: ['channel_id:string:Channel'] },
    { name: 'get_video_analytics', description: 'Views, watch time and audience of videos over a period.', params: ['video_id:string:Video', 'start_date:string:From', 'end_date:string:To'] },
    { name: 'upload_captions', description: 'Upload a caption (subtitle) track for a video.', params: ['video_id:string:Video', 'language:string:Language', 'file_base64:string:Caption file'] },
    { name: 'set_thumbnail', description: 'Set the thumbnail image of a video.', params: ['video_id:string:Video', 'image_base64:string:Image'] },
  ]),
  S('twitter', 'X (Twitter)', 'X (formerly Twitter): posts, replies, likes, follows and direct messages.', [], [
    { name: 'create_post', description: 'Publish a post (tweet), optionally with media or as a reply.', params: ['text:string:Text', 'reply_to:string:Post to reply to', 'media_ids:string[]:Media'] },
    { name: 'delete_post', description: 'Delete one of your posts.', params: ['post_id:string:Post'] },
    { name: 'get_post', description: 'Get a post with its metrics.', params: ['post_id:string:Post'] },
    { name: 'search_posts', description: 'Search recent posts.', params: ['query:string:Search query'] },
    { name: 'like_post', description: 'Like a post.', params: ['post_id:string:Post'] },
    { name: 'repost', description: 'Repost (retweet) a post.', params: ['post_id:string:Post'] },
    { name: 'follow_user', description: 'Follow an account.', params: ['username:string:Account'] },
    { name: 'unfollow_user', description: 'Unfollow an account.', params: ['username:string:Account'] },
    { name: 'get_user_timeline', description: 'Recent posts of an account.', params: ['username:string:Account'] },
    { name: 'send_direct_message', description: 'Send a direct message to an account.', params: ['username:string:Recipient', 'text:string:Message'] },
    { name: 'get_followers', description: 'List the followers of an account.', params: ['username:string:Account'] },
    { name: 'block_user', description: 'Block an account.', params: ['username:string:Account'] },
    { name: 'upload_media', description: 'Upload an image or video to attach to a post.', params: ['media_base64:string:Media'] },
  ]),
  S('linkedin', 'LinkedIn', 'LinkedIn: profile, posts, messages and company pages.', [], [
    { name: 'create_post', description: 'Share a post on your LinkedIn feed or a company page.', params: ['text:string:Text', 'visibility:enum=PUBLIC|CONNECTIONS:Visibility', 'organization_id:string:Company page'] },
    { name: 'delete_post', description: 'Delete a post.', params: ['post_id:string:Post'] },
    { name: 'get_profile', description: 'Get your LinkedIn profile.' },
    { name: 'send_message', description: 'Send a message to a connection.', params: ['recipient:string:Person', 'text:string:Message'] },
    { name: 'get_post_analytics', description: 'Impressions, reactions and comments of a post.', params: ['post_id:string:Post'] },
    { name: 'comment_on_post', description: 'Comment on a post.', params: ['post_id:string:Post', 'text:string:Comment'] },
    { name: 'get_company_page', description: 'Company page details and follower count.', params: ['organization_id:string:Company'] },
  ]),
  S('figma', 'Figma', 'Figma design files: files, comments, components, images and versions.', [], [
    { name: 'get_file', description: 'Get a Figma file document tree (pages, frames, layers).', params: ['file_key:string:File'] },
    { name: 'list_comments', description: 'List comments on a file.', params: ['file_key:string:File'] },
    { name: 'post_comment', description: 'Post a comment on a file, optionally pinned to a node.', params: ['file_key:string:File', 'message:string:Comment', 'node_id:string:Node'] },
    { name: 'delete_comment', description: 'Delete a comment.', params: ['file_key:string:File', 'comment_id:string:Comment'] },
    { name: 'export_images', description: 'Render frames or nodes as PNG, JPG, SVG or PDF.', params: ['file_key:string:File', 'node_ids:string[]:Nodes', 'format:enum=png|jpg|svg|pdf:Format'] },
    { name: 'list_components', description: 'List the published components of a team library.', params: ['team_id:string:Team'] },
    { name: 'list_file_versions', description: 'Version history of a file.', params: ['file_key:string:File'] },
    { name: 'list_projects', description: 'List the projects of a team.', params: ['team_id:string:Team'] },
  ]),
  S('miro', 'Miro', 'Miro online whiteboards: boards, sticky notes, shapes, cards and frames.', [
    { name: 'board', fields: ['name:string:Name', 'description:string:Description'], actions: 'create get list delete share' },
    { name: 'sticky_note', label: 'sticky note', fields: ['content:string:Text', 'color:string:Color', 'x:number:X', 'y:number:Y'], parent: 'board', actions: 'create update delete' },
  ], [
    { name: 'create_shape', description: 'Draw a shape (rectangle, circle, arrow) on a board.', params: ['board_id:string:Board', 'shape:string:Shape', 'text:string:Label'] },
    { name: 'create_frame', description: 'Create a frame to group items.', params: ['board_id:string:Board', 'title:string:Title'] },
    { name: 'create_connector', description: 'Connect two items with a line.', params: ['board_id:string:Board', 'start_item:string:From', 'end_item:string:To'] },
    { name: 'list_board_items', description: 'List everything on a board.', params: ['board_id:string:Board'] },
  ]),
  // --- everyday services ------------------------------------------------------------------
  S('google_maps', 'Google Maps', 'Google Maps platform: places, directions, geocoding, distances and time zones.', [], [
    { name: 'search_places', description: 'Search places (restaurants, shops, addresses) by text near a location.', params: ['query:string:What to find', 'location:string:Near', 'radius_m:integer:Radius'] },
    { name: 'get_place_details', description: 'Opening hours, rating, phone and address of a place.', params: ['place_id:string:Place'] },
    { name: 'get_directions', description: 'Route and turn-by-turn directions between places by car, transit, bike or foot.', params: ['origin:string:From', 'destination:string:To', 'mode:enum=driving|transit|bicycling|walking:Mode'] },
    { name: 'distance_matrix', description: 'Travel distance and time between many origins and destinations.', params: ['origins:string[]:From', 'destinations:string[]:To'] },
    { name: 'geocode', description: 'Convert an address to latitude and longitude.', params: ['address:string:Address'] },
    { name: 'reverse_geocode', description: 'Convert coordinates to a street address.', params: ['lat:number:Latitude', 'lng:number:Longitude'] },
    { name: 'get_timezone', description: 'Time zone at a location.', params: ['lat:number:Latitude', 'lng:number:Longitude'] },
    { name: 'get_elevation', description: 'Elevation above sea level at points.', params: ['locations:string[]:Points'] },
  ]),
  S('openweather', 'OpenWeather', 'OpenWeather: current weather, forecasts, air quality and alerts.', [], [
    { name: 'get_current_weather', description: 'Current temperature, conditions and wind for a city or coordinates.', params: ['location:string:City or lat,lon', 'units:enum=metric|imperial:Units'] },
    { name: 'get_forecast', description: 'Hourly and daily weather forecast for the next days.', params: ['location:string:City or lat,lon', 'days:integer:Days'] },
    { name: 'get_air_quality', description: 'Air quality index and pollutants.', params: ['location:string:Location'] },
    { name: 'get_weather_alerts', description: 'Government weather warnings (storms, heat) for an area.', params: ['location:string:Location'] },
    { name: 'get_historical_weather', description: 'Weather on a past date.', params: ['location:string:Location', 'date:string:Date'] },
    { name: 'get_uv_index', description: 'UV index now and forecast.', params: ['location:string:Location'] },
  ]),
  S('amadeus', 'Amadeus Travel', 'Amadeus travel booking: flights, hotels, airports and bookings.', [], [
    { name: 'search_flights', description: 'Search flight offers between two airports on dates.', params: ['origin:string:From (IATA)', 'destination:string:To (IATA)', 'departure_date:string:Date', 'return_date:string:Return', 'adults:integer:Passengers'] },
    { name: 'price_flight_offer', description: 'Confirm the final price of a flight offer.', params: ['offer_id:string:Offer'] },
    { name: 'book_flight', description: 'Book a flight offer for travellers (create the order).', params: ['offer_id:string:Offer', 'travelers:object:Traveller details'] },
    { name: 'cancel_flight_booking', description: 'Cancel a flight booking.', params: ['booking_id:string:Booking'] },
    { name: 'get_flight_status', description: 'Departure and arrival status of a flight (delays, gate).', params: ['carrier:string:Airline', 'flight_number:string:Number', 'date:string:Date'] },
    { name: 'search_hotels', description: 'Search hotels in a city with prices for dates.', params: ['city:string:City', 'check_in:string:Check-in', 'check_out:string:Check-out', 'guests:integer:Guests'] },
    { name: 'book_hotel', description: 'Book a hotel room offer.', params: ['offer_id:string:Offer', 'guests:object:Guest details'] },
    { name: 'cancel_hotel_booking', description: 'Cancel a hotel booking.', params: ['booking_id:string:Booking'] },
    { name: 'search_airports', description: 'Find airports and cities by name or code.', params: ['keyword:string:Name or code'] },
    { name: 'get_seat_map', description: 'Seat map of a flight offer.', params: ['offer_id:string:Offer'] },
  ]),
  S('uber', 'Uber', 'Uber rides: estimates, requests and trip history.', [], [
    { name: 'get_price_estimates', description: 'Estimated fare of rides between two places.', params: ['start:string:Pickup', 'end:string:Drop-off'] },
    { name: 'get_time_estimates', description: 'How soon a car can arrive at a pickup point.', params: ['start:string:Pickup'] },
    { name: 'request_ride', description: 'Request a ride (order a car) from a pickup to a destination.', params: ['start:string:Pickup', 'end:string:Drop-off', 'product_id:string:Ride type'] },
    { name: 'cancel_ride', description: 'Cancel a requested ride.', params: ['request_id:string:Ride'] },
    { name: 'get_ride_status', description: 'Where the driver is and when the ride arrives.', params: ['request_id:string:Ride'] },
    { name: 'list_ride_history', description: 'Your past trips.', params: ['limit:integer:Count'] },
  ]),
  S('deepl', 'DeepL', 'DeepL machine translation: text, documents and glossaries.', [
    { name: 'glossary', plural: 'glossaries', fields: ['name:string:Name', 'source_lang:string:From', 'target_lang:string:To', 'entries:object:Term pairs'], actions: 'create list delete' },
  ], [
    { name: 'translate_text', description: 'Translate text into another language.', params: ['text:string[]:Texts', 'target_lang:string:Target language', 'source_lang:string:Source language', 'formality:enum=more|less:Formality'] },
    { name: 'translate_document', description: 'Translate a whole document (DOCX, PPTX, PDF) keeping its layout.', params: ['file_base64:string:Document', 'target_lang:string:Target language'] },
    { name: 'detect_language', description: 'Detect the language of a text.', params: ['text:string:Text'] },
    { name: 'get_usage', description: 'Characters translated this billing period and the limit.' },
    { name: 'list_languages', description: 'Languages DeepL can translate from and to.' },
  ]),
  S('home_assistant', 'Home Assistant', 'Home Assistant smart home: lights, climate, locks, covers, scenes and sensors.', [], [
    { name: 'turn_on_light', description: 'Turn on a light, optionally with brightness and color.', params: ['entity_id:string:Light', 'brightness:integer:0-255', 'color:string:Color'] },
    { name: 'turn_off_light', description: 'Turn off a light.', params: ['entity_id:string:Light'] },
    { name: 'set_thermostat', description: 'Set the target temperature and mode of a thermostat.', params: ['entity_id:string:Thermostat', 'temperature:number:Target', 'hvac_mode:enum=heat|cool|auto|off:Mode'] },
    { name: 'lock_door', description: 'Lock a door lock.', params: ['entity_id:string:Lock'] },
    { name: 'unlock_door', description: 'Unlock a door lock.', params: ['entity_id:string:Lock'] },
    { name: 'open_cover', description: 'Open blinds, curtains or the garage door.', params: ['entity_id:string:Cover'] },
    { name: 'close_cover', description: 'Close blinds, curtains or the garage door.', params: ['entity_id:string:Cover'] },
    { name: 'activate_scene', description: 'Activate a scene (e.g. movie night).', params: ['scene_id:string:Scene'] },
    { name: 'get_sensor_state', description: 'Read a sensor (temperature, humidity, motion, power).', params: ['entity_id:string:Sensor'] },
    { name: 'trigger_automation', description: 'Run an automation now.', params: ['automation_id:string:Automation'] },
    { name: 'get_camera_snapshot', description: 'Take a snapshot image from a camera.', params: ['entity_id:string:Camera'] },
    { name: 'list_devices', description: 'List the devices and entities of the home.' },
  ]),
  // --- data ------------------------------------------------------------------------------
  S('postgres', 'PostgreSQL', 'PostgreSQL database: SQL queries, tables, schemas and indexes.', [], [
    { name: 'run_query', description: 'Execute a SQL statement and return the rows.', params: ['sql:string:SQL', 'params:string[]:Bind parameters'] },
    { name: 'list_tables', description: 'List the tables of a schema.', params: ['schema:string:Schema'] },
    { name: 'describe_table', description: 'Columns, types, keys and indexes of a table.', params: ['table:string:Table'] },
    { name: 'create_table', description: 'Create a table from column definitions.', params: ['table:string:Name', 'columns:object:Columns'] },
    { name: 'insert_rows', description: 'Insert rows into a table.', params: ['table:string:Table', 'rows:object:Rows'] },
    { name: 'explain_query', description: 'Show the query plan of a SQL query (EXPLAIN ANALYZE).', params: ['sql:string:SQL'] },
    { name: 'create_index', description: 'Create an index on table columns.', params: ['table:string:Table', 'columns:string[]:Columns'] },
    { name: 'list_databases', description: 'List the databases on the server.' },
    { name: 'list_active_connections', description: 'Active sessions and the queries they run.' },
  ]),
  S('bigquery', 'BigQuery', 'Google BigQuery data warehouse: datasets, tables, SQL jobs, loads and exports.', [
    { name: 'dataset', fields: ['dataset_id:string:Name', 'location:string:Location'], actions: 'create list delete' },
    { name: 'table', parent: 'dataset', actions: 'get list delete' },
  ], [
    { name: 'run_query', description: 'Run a SQL query job and return the results.', params: ['sql:string:Standard SQL', 'dry_run:boolean:Only estimate bytes'] },
    { name: 'load_table_from_gcs', description: 'Load CSV, JSON or Parquet files from Cloud Storage into a table.', params: ['table:string:Table', 'uris:string[]:gs:// URIs', 'format:string:Format'] },
    { name: 'export_table', description: 'Export a table to Cloud Storage files.', params: ['table:string:Table', 'destination_uri:string:gs:// URI'] },
    { name: 'cancel_job', description: 'Cancel a running job.', params: ['job_id:string:Job'] },
    { name: 'get_table_schema', description: 'The schema (columns and types) of a table.', params: ['table:string:Table'] },
  ]),
  S('elasticsearch', 'Elasticsearch', 'Elasticsearch: indices, documents, search queries and mappings.', [
    { name: 'index', plural: 'indices', fields: ['name:string:Index name', 'settings:object:Settings', 'mappings:object:Mappings'], actions: 'create list delete' },
  ], [
    { name: 'search', description: 'Run a search query (query DSL) on an index.', params: ['index:string:Index', 'query:object:Query DSL', 'size:integer:Hits'] },
    { name: 'index_document', description: 'Add or replace a JSON document in an index.', params: ['index:string:Index', 'id:string:Document ID', 'document:object:Document'] },
    { name: 'get_document', description: 'Get a document by ID.', params: ['index:string:Index', 'id:string:ID'] },
    { name: 'delete_document', description: 'Delete a document by ID.', params: ['index:string:Index', 'id:string:ID'] },
    { name: 'bulk_index', description: 'Index many documents in one request.', params: ['index:string:Index', 'documents:object:Documents'] },
    { name: 'get_mapping', description: 'Field mappings of an index.', params: ['index:string:Index'] },
    { name: 'count_documents', description: 'Count documents matching a query.', params: ['index:string:Index', 'query:object:Query'] },
    { name: 'cluster_health', description: 'Cluster health: green, yellow or red, shards and nodes.' },
  ]),
  // --- identity and secrets --------------------------------------------------------------
  S('okta', 'Okta', 'Okta identity: users, groups, applications and sign-in security.', [
    { name: 'user', fields: ['email:string:Email', 'first_name:string:First name', 'last_name:string:Last name', 'login:string:Login'], actions: 'create get list update' },
    { name: 'group', fields: ['name:string:Name', 'description:string:Description'], actions: 'create list delete' },
    { name: 'application', actions: 'get list' },
  ], [
    { name: 'deactivate_user', description: 'Deactivate a user account (offboarding).', params: ['user_id:string:User'] },
    { name: 'suspend_user', description: 'Suspend a user temporarily.', params: ['user_id:string:User'] },
    { name: 'unlock_user', description: 'Unlock a user locked out after failed sign-ins.', params: ['user_id:string:User'] },
    { name: 'reset_password', description: 'Send a password reset link to a user.', params: ['user_id:string:User'] },
    { name: 'reset_mfa_factors', description: 'Reset the multi-factor authentication enrolments of a user.', params: ['user_id:string:User'] },
    { name: 'add_user_to_group', description: 'Add a user to a group.', params: ['user_id:string:User', 'group_id:string:Group'] },
    { name: 'remove_user_from_group', description: 'Remove a user from a group.', params: ['user_id:string:User', 'group_id:string:Group'] },
    { name: 'assign_application', description: 'Give a user access to an application.', params: ['user_id:string:User', 'application_id:string:App'] },
    { name: 'clear_user_sessions', description: 'Sign a user out everywhere by revoking sessions.', params: ['user_id:string:User'] },
    { name: 'list_system_log', description: 'Audit log of sign-ins and admin actions.', params: ['since:string:From', 'filter:string:Filter'] },
  ]),
  S('vault', 'HashiCorp Vault', 'HashiCorp Vault secrets management: secrets, policies and leases.', [
    { name: 'secret', fields: ['path:string:Secret path', 'data:object:Key/value pairs'], actions: 'create get list update delete' },
    { name: 'policy', plural: 'policies', fields: ['name:string:Name', 'rules:string:HCL rules'], actions: 'create get list delete' },
  ], [
    { name: 'rotate_secret', description: 'Rotate a secret (generate a new version of credentials).', params: ['path:string:Secret path'] },
    { name: 'revoke_lease', description: 'Revoke a lease so its dynamic credentials stop working.', params: ['lease_id:string:Lease'] },
    { name: 'create_token', description: 'Create an access token with policies and a TTL.', params: ['policies:string[]:Policies', 'ttl:string:TTL'] },
  ]),
  S('typeform', 'Typeform', 'Typeform online forms and surveys: forms and responses.', [
    { name: 'form', fields: ['title:string:Title', 'fields:object:Questions'], actions: 'create get list update delete' },
  ], [
    { name: 'list_responses', description: 'List the answers people submitted to a form.', params: ['form_id:string:Form', 'since:string:From'] },
    { name: 'delete_responses', description: 'Delete responses of a form.', params: ['form_id:string:Form', 'response_ids:string[]:Responses'] },
    { name: 'get_form_insights', description: 'Views, completion rate and drop-off of a form.', params: ['form_id:string:Form'] },
  ]),
];

/** Every tool of the benchmark catalogue. */
export function catalogTools(): BenchTool[] {
  return SERVICES.flatMap((service) => service.tools);
}

/**
 * A larger catalogue for latency: the base catalogue repeated for several tenants with their own
 * namespace names (`eu_github`…), up to `size` tools.
 */
export function scaledCatalog(size: number): BenchTool[] {
  const base = catalogTools();
  const prefixes = ['', 'eu_', 'us_', 'apac_', 'staging_', 'sandbox_', 'acme_', 'globex_', 'initech_', 'umbrella_', 'hooli_', 'stark_'];
  const out: BenchTool[] = [];
  for (const prefix of prefixes) {
    for (const tool of base) {
      if (out.length >= size) return out;
      const namespace = `${prefix}${tool.namespace}`;
      out.push({ ...tool, namespace, path: `${namespace}.${tool.name}`, namespaceDescription: prefix ? `${tool.namespaceDescription} (${prefix.slice(0, -1)} tenant)` : tool.namespaceDescription });
    }
  }
  return out;
}
