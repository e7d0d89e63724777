import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { TEST_IDS } from '../../test-ids';
import { Dialog } from './Dialog';

interface Question {
  text: string;
  confirmLabel: string;
  action: () => void;
}

/** An in-app confirmation (not window.confirm), so it is styled, translated and testable. */
export function useConfirm(): [ReactElement | null, (text: string, confirmLabel: string, action: () => void) => void] {
  const { t } = useTranslation();
  const [question, setQuestion] = useState<Question | null>(null);
  const element =
    question === null ? null : (
      <Dialog
        title={t('dialog.confirm')}
        onClose={() => setQuestion(null)}
        testId={TEST_IDS.confirmDialog}
        footer={
          <>
            <button type="button" className="secondary-button" onClick={() => setQuestion(null)} data-autofocus data-testid={TEST_IDS.confirmCancel}>
              {t('dialog.cancel')}
            </button>
            <button
              type="button"
              className="danger-button"
              onClick={() => {
                setQuestion(null);
                question.action();
              }}
              data-testid={TEST_IDS.confirmAccept}
            >
              {question.confirmLabel}
            </button>
          </>
        }
      >
        <p>{question.text}</p>
      </Dialog>
    );
  return [element, (text, confirmLabel, action) => setQuestion({ text, confirmLabel, action })];
}
