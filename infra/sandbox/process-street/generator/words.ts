/** Word lists for templates, tasks and fields. Variety comes from combining them with indexes. */
export const WORKFLOW_NAMES = [
  'Client Onboarding', 'Employee Onboarding', 'Invoice Approval', 'Vendor Due Diligence', 'Monthly Close', 'Bug Triage',
  'Content Publishing', 'Purchase Request', 'Offboarding', 'Security Review', 'Contract Renewal', 'Event Planning',
  'Customer Support Escalation', 'Quarterly Business Review', 'Expense Report', 'Website Launch', 'Recruiting Pipeline',
  'Équipe d’accueil — Paris', '新入社員研修', 'Onboarding 🚀 Express', 'Data Request (GDPR)', 'Release Checklist',
] as const;

export const TASK_NAMES = [
  'Kick-off call', 'Collect details', 'Review documents', 'Manager approval', 'Prepare contract', 'Send welcome email',
  'Set up accounts', 'Quality check', 'Finance sign-off', 'Schedule follow-up', 'Archive records', 'Close out',
  'Vérifier les pièces', 'Confirm with client', 'Upload evidence',
] as const;

export const FIELD_LABELS: Record<string, readonly string[]> = {
  Text: ['Customer name', 'Project code', 'Vendor', 'Reference number'],
  Textarea: ['Notes', 'Summary of call', 'Description'],
  Email: ['Contact email', 'Billing email'],
  Url: ['Website', 'Shared folder link'],
  Number: ['Amount', 'Head count', 'Hours spent'],
  Date: ['Start date', 'Go-live date', 'Renewal date'],
  Select: ['Priority', 'Region'],
  MultiChoice: ['Products', 'Departments involved'],
  MultiSelect: ['Checklist', 'Steps done'],
  Members: ['Owner', 'Reviewers'],
  File: ['Signed contract', 'Invoice PDF'],
  MultiFile: ['Supporting documents', 'Screenshots'],
  Document: ['Generated agreement'],
  Table: ['Line items', 'Contacts'],
  SendRichEmail: ['Welcome email', 'Reminder email'],
  Hidden: ['Source system id', 'Campaign'],
  Snippet: ['Instructions'],
};

export const OPTION_SETS: Record<string, readonly string[]> = {
  Priority: ['Low', 'Medium', 'High', 'Urgent 🔥'],
  Region: ['EMEA', 'North America', 'APAC', 'LatAm'],
  Products: ['Core', 'Analytics add-on', 'Support plan', 'Training'],
  'Departments involved': ['Finance', 'Legal', 'IT', 'Sales', 'R&D'],
};

export const SUBTASKS = ['Verify identity', 'Create account', 'Send documents', 'Book training', 'Confirm receipt'] as const;
export const TABLE_COLUMNS = ['Item', 'Quantity', 'Price', 'Comment'] as const;

export const COMMENT_WORDS = [
  'please', 'check', 'the', 'attached', 'file', 'done', 'waiting', 'for', 'approval', 'client', 'called', 'again', 'updated',
  'numbers', 'looks', 'good', 'to', 'me', 'can', 'you', 'review', 'by', 'friday', 'thanks', 'merci', 'déjà', 'fait', '👍',
] as const;
